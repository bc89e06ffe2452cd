/// <reference lib="dom" />
/**
 * Makes public/img/favicon.ico from public/img/logo.svg: the logo drawn by Chromium at 16, 32 and
 * 48 px, packed as PNG images in one .ico (every browser since IE 11 reads PNG entries).
 * Run after changing the logo: `npx tsx scripts/make-favicon.ts` (CHROMIUM_PATH if not
 * /usr/bin/chromium).
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const root = path.join(__dirname, "..");
const sizes = [16, 32, 48];

/** An .ico holding PNG images: a 6-byte header, a 16-byte entry per image, then the images. */
export function icoOf(images: Array<{ size: number; png: Buffer }>): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = 6 + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2);
    entry.writeUInt8(0, 3);
    entry.writeUInt16LE(1, 4);
    entry.writeUInt16LE(32, 6);
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map((image) => image.png)]);
}

async function main(): Promise<void> {
  const svg = readFileSync(path.join(root, "public", "img", "logo.svg"));
  const source = `data:image/svg+xml;base64,${svg.toString("base64")}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox"],
  });
  const images: Array<{ size: number; png: Buffer }> = [];
  for (const size of sizes) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    await page.setContent(
      `<body style="margin:0;background:transparent"><img src="${source}" width="${size}" height="${size}"></body>`,
    );
    await page.locator("img").evaluate((img: HTMLImageElement) => img.decode());
    images.push({ size, png: await page.screenshot({ omitBackground: true }) });
    await page.close();
  }
  await browser.close();
  const file = path.join(root, "public", "img", "favicon.ico");
  writeFileSync(file, icoOf(images));
  process.stdout.write(`wrote ${path.relative(root, file)} (${sizes.join(", ")} px)\n`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
