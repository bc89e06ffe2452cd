import sharp from "sharp";

/**
 * The media library's picture for a video: a poster, not a frame. Taking a frame needs a video
 * decoder (ffmpeg), which is not on the machines and would be a new system package; the browser
 * cannot do it either (the CSP keeps media to the app's own address). So the poster says what the
 * file is — a play sign, the file's name, its type and size — drawn as SVG and rasterised by sharp
 * (libvips, shipped inside the npm package) into a 320 px PNG like the pictures' thumbnails.
 */
export const posterSize = 320;

/** Text for the SVG: markup characters as references, control characters (invalid in XML) gone. */
const escapeXml = (text: string) =>
  [...text]
    .filter((c) => c.charCodeAt(0) >= 0x20)
    .join("")
    .replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** At most `max` characters, keeping the extension: "a-very-long-na….mp4". */
function shorten(name: string, max = 26): string {
  const chars = [...name];
  if (chars.length <= max) return name;
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 && name.length - dot <= 6 ? name.slice(dot) : "";
  return `${chars.slice(0, max - ext.length - 1).join("")}…${ext}`;
}

export function sizeLabel(bytes: number): string {
  return bytes >= 1_048_576
    ? `${(bytes / 1_048_576).toFixed(1)} MB`
    : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** The poster's SVG (exported for the test that reads what it says). */
export function posterSvg(fileName: string, mimeType: string, bytes: number): string {
  const type = mimeType === "video/quicktime" ? "MOV" : "MP4";
  const s = posterSize;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${s}" height="${s}" viewBox="0 0 ${s} ${s}">` +
    `<rect width="${s}" height="${s}" fill="#1f2937"/>` +
    `<circle cx="160" cy="130" r="48" fill="#ffffff" fill-opacity="0.15"/>` +
    `<path d="M146 106 L186 130 L146 154 Z" fill="#ffffff"/>` +
    `<text x="160" y="232" font-family="DejaVu Sans, sans-serif" font-size="18" fill="#ffffff" text-anchor="middle">${escapeXml(shorten(fileName))}</text>` +
    `<text x="160" y="262" font-family="DejaVu Sans, sans-serif" font-size="15" fill="#cbd5e1" text-anchor="middle">${type} video · ${sizeLabel(bytes)}</text>` +
    `</svg>`
  );
}

/** The poster as a PNG. */
export function videoPoster(fileName: string, mimeType: string, bytes: number): Promise<Buffer> {
  return sharp(Buffer.from(posterSvg(fileName, mimeType, bytes)))
    .png()
    .toBuffer();
}
