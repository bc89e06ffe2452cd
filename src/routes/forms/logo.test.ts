import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, type Agent } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import { buildForm } from "../../../test/factoriesForms";
import { formLogoMaxBytes } from "../../commands/forms/logo";
import type { Business } from "../../models";

// A real 1×1 PNG: the server tells formats apart by these bytes, not by name or declared type.
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);

describe("form logo: upload in the builder, shown on the public page", () => {
  let t: TestApp;
  let uploads: string;
  let business: Business;
  let agent: Agent;

  beforeAll(async () => {
    uploads = mkdtempSync(path.join(tmpdir(), "crm-form-logos-"));
    t = await buildTestApp({ UPLOADS_DIR: uploads });
    ({ business, agent } = await ownerSignedIn(t, "enterprise"));
  });
  afterAll(async () => {
    await t.close();
    rmSync(uploads, { recursive: true, force: true });
  });

  async function upload(formId: number, file: Buffer, filename: string, contentType: string) {
    const page = await agent.get(`/forms/${formId}`).expect(200);
    return agent
      .post(`/forms/${formId}/logo`)
      .field("_csrf", csrfFrom(page))
      .attach("logo", file, { filename, contentType });
  }

  const logos = () => readdirSync(path.join(uploads, "forms"));

  it("stores a PNG, serves it on the public page, replaces and removes it", async () => {
    const form = await buildForm(t.deps.models, business);
    await request(t.app).get(`/f/${form.slug}`).expect(200);
    const saved = await upload(form.id, png, "logo.png", "image/png");
    expect(saved.status).toBe(302);
    await form.reload();
    expect(form.logoFile).toMatch(new RegExp(`^${form.id}-[0-9a-f]{32}\\.png$`));
    // The cached public page was forgotten: the logo shows at once.
    const page = await request(t.app).get(`/f/${form.slug}`).expect(200);
    expect(page.text).toMatch(
      /<img class="public-form-logo" src="\/f\/[a-z0-9-]+\/logo\?v(=|&#x3D;)/,
    );
    const image = await request(t.app).get(`/f/${form.slug}/logo`).expect(200);
    expect(image.headers["content-type"]).toBe("image/png");
    expect(image.headers["x-content-type-options"]).toBe("nosniff");
    const builder = await agent.get(`/forms/${form.id}`).expect(200);
    expect(builder.text).toContain("Remove the logo");

    const first = form.logoFile;
    await upload(form.id, png, "again.png", "image/png");
    await form.reload();
    expect(form.logoFile).not.toBe(first);
    expect(logos()).toEqual([form.logoFile]);

    const page2 = await agent.get(`/forms/${form.id}`).expect(200);
    await agent
      .post(`/forms/${form.id}/logo/delete`)
      .type("form")
      .send({ _csrf: csrfFrom(page2) })
      .expect(302);
    await form.reload();
    expect(form.logoFile).toBeNull();
    expect(logos()).toEqual([]);
    const plain = await request(t.app).get(`/f/${form.slug}`).expect(200);
    expect(plain.text).not.toContain("public-form-logo");
    await request(t.app).get(`/f/${form.slug}/logo`).expect(404);
  });

  it("answers 404 to another business's member, before reading the file", async () => {
    const { business: other } = await ownerSignedIn(t, "enterprise");
    const theirs = await buildForm(t.deps.models, other);
    const mine = await buildForm(t.deps.models, business);
    const page = await agent.get(`/forms/${mine.id}`).expect(200);
    await agent
      .post(`/forms/${theirs.id}/logo`)
      .field("_csrf", csrfFrom(page))
      .attach("logo", png, { filename: "logo.png", contentType: "image/png" })
      .expect(404);
    await theirs.reload();
    expect(theirs.logoFile).toBeNull();
  });

  it("refuses a file that is not a picture, or too large, with the error beside the box", async () => {
    const form = await buildForm(t.deps.models, business);
    const text = await upload(
      form.id,
      Buffer.from("<svg onload=alert(1)>"),
      "logo.png",
      "image/png",
    );
    expect(text.status).toBe(422);
    expect(text.text).toContain("not a PNG, JPEG or WebP picture");
    const big = Buffer.concat([png, Buffer.alloc(formLogoMaxBytes, 0)]);
    const large = await upload(form.id, big, "big.png", "image/png");
    expect(large.status).toBe(422);
    expect(large.text).toContain("larger than 512 KB");
    await form.reload();
    expect(form.logoFile).toBeNull();
  });
});
