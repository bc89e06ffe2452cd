import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { csrfFrom, signIn } from "../../../test/support/forms";
import { buildUser, defaultPassword } from "../../../test/factories";
import type { User } from "../../models";

// A real 1×1 PNG, and a JPEG / WebP header: the server tells formats apart by these bytes.
const png = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 1)]);
const webp = Buffer.concat([
  Buffer.from("RIFF"),
  Buffer.from([0x20, 0, 0, 0]),
  Buffer.from("WEBPVP8 "),
  Buffer.alloc(100, 2),
]);

describe("Profile → photo upload", () => {
  let t: TestApp;
  let uploads: string;
  const maxBytes = 10_000;

  beforeAll(async () => {
    uploads = mkdtempSync(path.join(tmpdir(), "crm-avatars-"));
    t = await buildTestApp({ UPLOADS_DIR: uploads, AVATAR_MAX_BYTES: String(maxBytes) });
  });
  afterAll(async () => {
    await t.close();
    rmSync(uploads, { recursive: true, force: true });
  });

  async function signedIn(user: User) {
    const agent = request.agent(t.app);
    expect((await signIn(agent, user.email, defaultPassword)).status).toBe(302);
    const page = await agent.get("/profile").expect(200);
    return { agent, csrf: csrfFrom(page) };
  }

  const avatarFiles = () =>
    existsSync(path.join(uploads, "avatars")) ? readdirSync(path.join(uploads, "avatars")) : [];

  it("stores a PNG sent by the cropper script, serves it back, and shows it", async () => {
    const user = await buildUser(t.deps.models, { name: "Ravi Kumar" });
    const { agent, csrf } = await signedIn(user);
    const res = await agent
      .post("/profile/avatar")
      .set("X-CSRF-Token", csrf)
      .set("Accept", "application/json")
      .field("x", "10")
      .field("y", "20")
      .field("width", "300")
      .field("height", "300")
      .attach("avatar", png, { filename: "avatar.png", contentType: "image/png" });
    expect(res.status).toBe(200);
    expect(res.body.data.avatarUrl).toMatch(new RegExp(`^/avatars/${user.id}-[0-9a-f]{32}\\.png$`));

    const saved = await t.deps.models.User.findByPk(user.id);
    expect(saved?.avatarPath).toBe(`avatars/${path.basename(res.body.data.avatarUrl)}`);
    expect(readFileSync(path.join(uploads, saved!.avatarPath!))).toEqual(png);

    // The script then opens the profile page, which shows the photo (and the top bar too).
    const profile = await agent.get("/profile").expect(200);
    expect(profile.text).toContain("Your photo was updated.");
    expect(profile.text.split(`src="${res.body.data.avatarUrl}"`)).toHaveLength(3);

    const served = await agent.get(res.body.data.avatarUrl).buffer(true).expect(200);
    expect(served.headers["content-type"]).toBe("image/png");
    expect(served.headers["x-content-type-options"]).toBe("nosniff");
    expect(Buffer.compare(served.body as Buffer, png)).toBe(0);
    const log = await t.deps.models.ActivityLog.findOne({
      where: { userId: user.id, action: "avatar.changed" },
    });
    expect(JSON.parse(log?.details ?? "{}")).toMatchObject({
      type: "png",
      crop: { x: 10, y: 20, width: 300, height: 300 },
    });
  });

  it("works without JavaScript: a plain multipart form, its token a field before the file, never in the URL", async () => {
    const user = await buildUser(t.deps.models);
    const { agent, csrf } = await signedIn(user);
    const page = await agent.get("/profile");
    expect(page.text).toMatch(
      new RegExp(
        `<form method="post" action="/profile/avatar" enctype="multipart/form-data"[^>]*>\\s*<input type="hidden" name="_csrf" value="${csrf}">`,
      ),
    );
    expect(page.text).not.toContain("?_csrf=");
    const res = await agent
      .post("/profile/avatar")
      .field("_csrf", csrf)
      .attach("avatar", jpeg, { filename: "holiday.JPG", contentType: "image/jpeg" });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe("/profile");
    const saved = await t.deps.models.User.findByPk(user.id);
    expect(saved?.avatarPath).toMatch(/\.jpg$/);

    // "Upload" with no file: the form again with the error, at a URL without the token.
    const empty = await agent.post("/profile/avatar").field("_csrf", csrf);
    expect(empty.status).toBe(422);
    expect(empty.text).toContain("Choose a picture to upload.");
  });

  it("refuses a multipart form without its token (or with a wrong one) and stores nothing", async () => {
    const user = await buildUser(t.deps.models);
    const { agent, csrf } = await signedIn(user);
    const before = avatarFiles();
    // Missing or wrong, the token is refused once the body is read, and nothing is stored.
    const missing = await agent.post("/profile/avatar").attach("avatar", png, "a.png");
    expect(missing.status).toBe(403);
    const wrong = await agent
      .post("/profile/avatar")
      .field("_csrf", "0".repeat(csrf.length))
      .attach("avatar", png, "a.png");
    expect(wrong.status).toBe(403);
    // A token in the query string is no longer read, for multipart forms or any other.
    const query = await agent
      .post(`/profile/avatar?_csrf=${encodeURIComponent(csrf)}`)
      .attach("avatar", png, "a.png");
    expect(query.status).toBe(403);
    const plain = await agent
      .post(`/profile?_csrf=${encodeURIComponent(csrf)}`)
      .type("form")
      .send({ name: "Changed Without Token" });
    expect(plain.status).toBe(403);
    // An endpoint that reads no multipart body refuses one: its token cannot be checked.
    const renamed = await agent
      .post("/profile")
      .field("_csrf", csrf)
      .field("name", "Multipart Name");
    expect(renamed.status).toBe(403);
    const reloaded = await t.deps.models.User.findByPk(user.id);
    expect(reloaded?.name).toBe(user.name);
    expect(reloaded?.avatarPath).toBeNull();
    expect(avatarFiles()).toEqual(before);
  });

  it("replacing the photo deletes the previous file; removing it deletes the file", async () => {
    const user = await buildUser(t.deps.models);
    const { agent, csrf } = await signedIn(user);
    const upload = (body: Buffer, name: string) =>
      agent.post("/profile/avatar").set("X-CSRF-Token", csrf).attach("avatar", body, name);
    await upload(png, "one.png").expect(303);
    const first = (await t.deps.models.User.findByPk(user.id))?.avatarPath as string;
    await upload(webp, "two.webp").expect(303);
    const second = (await t.deps.models.User.findByPk(user.id))?.avatarPath as string;
    expect(second).toMatch(/\.webp$/);
    expect(existsSync(path.join(uploads, first))).toBe(false);
    expect(existsSync(path.join(uploads, second))).toBe(true);

    await agent.post("/profile/avatar/delete").type("form").send({ _csrf: csrf }).expect(303);
    expect((await t.deps.models.User.findByPk(user.id))?.avatarPath).toBeNull();
    expect(existsSync(path.join(uploads, second))).toBe(false);
  });

  it("rejects a text file named .png, whatever its declared type, and stores nothing", async () => {
    const user = await buildUser(t.deps.models);
    const { agent, csrf } = await signedIn(user);
    const before = avatarFiles();
    const res = await agent
      .post("/profile/avatar")
      .set("X-CSRF-Token", csrf)
      .attach("avatar", Buffer.from("just some text, not a picture\n"), {
        filename: "photo.png",
        contentType: "image/png",
      });
    expect(res.status).toBe(422);
    expect(res.text).toContain("That file is not a PNG, JPEG or WebP picture.");
    expect(res.text).toContain('data-slot="avatar-error"');
    expect(avatarFiles()).toEqual(before);
    expect((await t.deps.models.User.findByPk(user.id))?.avatarPath).toBeNull();

    const html = await agent
      .post("/profile/avatar")
      .set("X-CSRF-Token", csrf)
      .set("Accept", "application/json")
      .attach("avatar", Buffer.from("<svg onload=alert(1)>"), "x.png");
    expect(html.status).toBe(422);
    expect(html.body).toMatchObject({ statusCode: 422, error: "validation_failed" });

    const none = await agent.post("/profile/avatar").set("X-CSRF-Token", csrf).field("x", "1");
    expect(none.status).toBe(422);
    expect(none.text).toContain("Choose a picture to upload.");

    const badCrop = await agent
      .post("/profile/avatar")
      .set("X-CSRF-Token", csrf)
      .field("x", "left")
      .attach("avatar", png, "a.png");
    expect(badCrop.status).toBe(422);
    expect(badCrop.text).toContain("The crop area was not understood.");
  });

  it("answers an oversized upload with 413 and a friendly page", async () => {
    const user = await buildUser(t.deps.models);
    const { agent, csrf } = await signedIn(user);
    const big = Buffer.concat([png, Buffer.alloc(maxBytes * 3, 0)]);
    const res = await agent
      .post("/profile/avatar")
      .set("X-CSRF-Token", csrf)
      .attach("avatar", big, "big.png");
    expect(res.status).toBe(413);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
    expect(res.text).toContain("That picture is larger than 10 KB.");
    expect(res.text).toContain('<h1 class="h3 mb-0">Profile</h1>');
    expect((await t.deps.models.User.findByPk(user.id))?.avatarPath).toBeNull();

    const json = await agent
      .post("/profile/avatar")
      .set("X-CSRF-Token", csrf)
      .set("Accept", "application/json")
      .attach("avatar", big, "big.png");
    expect(json.status).toBe(413);
    expect(json.body.error).toBe("payload_too_large");
    // The app is still fine afterwards.
    await agent.get("/profile").expect(200);
  });

  it("serves only stored avatar names: no path traversal, and only to signed-in people", async () => {
    const user = await buildUser(t.deps.models);
    const { agent, csrf } = await signedIn(user);
    await agent
      .post("/profile/avatar")
      .set("X-CSRF-Token", csrf)
      .attach("avatar", png, "me.png")
      .expect(303);
    const url = `/avatars/${path.basename((await t.deps.models.User.findByPk(user.id))!.avatarPath!)}`;

    for (const attempt of [
      "/avatars/..%2F..%2Fpackage.json",
      "/avatars/%2e%2e%2f%2e%2e%2fpackage.json",
      "/avatars/..%5C..%5Cpackage.json",
      "/avatars/.%2Fpackage.json",
      `/avatars/${user.id}-${"a".repeat(32)}.png`,
      `/avatars/${user.id}-${"a".repeat(32)}.svg`,
      "/avatars/%00.png",
    ]) {
      const res = await agent.get(attempt);
      expect([attempt, res.status]).toEqual([attempt, 404]);
      expect(res.headers["content-type"]).toMatch(/text\/html/);
      expect(res.text).not.toContain('"name": "crm"');
    }
    const anonymous = await request(t.app).get(url);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.location).toMatch(/^\/login/);
  });
});
