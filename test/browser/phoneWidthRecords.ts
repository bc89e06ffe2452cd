import type { Browser } from "playwright-core";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { signInWithForm } from "../support/browser";
import { sampleCsv } from "../support/imports";
import { defaultPassword } from "../factories";
import type { User } from "../../src/models";
import type { Services } from "../../src/services";
import { accountRecords } from "./phoneWidthRecordsAccount";
import { marketingRecords } from "./phoneWidthRecordsMarketing";
import { salesRecords } from "./phoneWidthRecordsSales";
import { seedWalkOwner, type WalkRecords, type WalkSeed } from "./phoneWidthSeed";
import { desktop } from "./phoneWidthWalk";

/**
 * The data the signed-in phone-width walk opens: an owner whose business has a record behind
 * every :param of the page routes. Each area seeds its own records (phoneWidthRecords<Area>.ts);
 * a new kind of :param gets its record in the area it belongs to.
 */
export async function seedWalk(deps: Services): Promise<{ seed: WalkSeed; records: WalkRecords }> {
  const seed = await seedWalkOwner(deps);
  const records: WalkRecords = {};
  for (const area of [accountRecords, salesRecords, marketingRecords])
    for (const [param, factory] of Object.entries(await area(seed))) {
      // Two areas filling one :param would silently walk only the later one's record.
      if (records[param]) throw new Error(`The walk's :${param} is seeded twice`);
      records[param] = factory;
    }
  return { seed, records };
}

const onePixelPng =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=";

/** The pictures the walk's records name exist, as an upload leaves them (a 1×1 PNG). */
export async function writeWalkMedia({ deps, business }: WalkSeed): Promise<void> {
  for (const media of await deps.models.SocialMedia.findAll({
    where: { businessId: business.id },
  })) {
    const file = path.join(deps.config.uploadsDir, media.filePath);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, Buffer.from(onePixelPng, "base64"));
  }
}

/**
 * A real upload gives an import waiting for its columns: the mapping page with its preview.
 * Returns that page's path.
 */
export async function uploadForMapping(
  browser: Browser,
  baseUrl: string,
  owner: User,
): Promise<string> {
  const uploader = await browser.newContext({ viewport: desktop });
  const setup = await uploader.newPage();
  await signInWithForm(setup, baseUrl, owner.email, defaultPassword);
  await setup.waitForURL((url) => !url.pathname.startsWith("/login"));
  await setup.goto(baseUrl + "/imports/new");
  await setup.setInputFiles("#field-file", sampleCsv);
  await setup.getByRole("button", { name: "Upload" }).click();
  await setup.waitForURL(/\/imports\/\d+$/);
  for (let i = 0; i < 100 && !(await setup.getByText("Start import").count()); i++) {
    await setup.waitForTimeout(100);
    await setup.reload();
  }
  const mapping = new URL(setup.url()).pathname;
  await uploader.close();
  return mapping;
}
