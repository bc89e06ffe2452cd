import { randomUUID } from "node:crypto";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import request from "supertest";
import { uniqueEmail } from "../../../test/factories";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { testOutboxDir, waitForMail, type CapturedMail } from "../../../test/support/outbox";
import { enqueueMail } from "../../integrations/mail/enqueue";

const productionSettings = {
  NODE_ENV: "production",
  SESSION_SECRET: "x".repeat(40),
  JWT_SECRET: "y".repeat(40),
};

describe("the development outbox page", () => {
  let t: TestApp;
  let to: string;
  let mail: CapturedMail;
  const link = "http://localhost:3000/activate/tok-dev-page";

  beforeAll(async () => {
    t = await buildTestApp();
    to = uniqueEmail("devpage");
    await enqueueMail(t.deps, { to, template: "activation", data: { name: "Dev Reader", link } });
    mail = await waitForMail(to, { template: "activation" });
  });
  afterAll(() => t.close());

  it("lists the message with its recipient and subject, linking to it", async () => {
    const res = await request(t.app).get("/dev/outbox").expect(200);
    expect(res.text).toContain(to);
    expect(res.text).toContain(`href="/dev/outbox/${mail.id}"`);
    expect(res.text).toContain("Activate your CRM account");
    expect(res.headers["cache-control"]).toBe("no-store");
  });

  it("shows the message: subject, headers, text, links and the HTML in a sandboxed frame", async () => {
    const res = await request(t.app).get(`/dev/outbox/${mail.id}`).expect(200);
    expect(res.text).toContain('<h1 class="h4">Activate your CRM account</h1>');
    expect(res.text).toContain("Hello Dev Reader,");
    expect(res.text).toContain(`href="${link}"`);
    expect(res.text).toMatch(/<th[^>]*>X-CRM-Template<\/th><td[^>]*>activation<\/td>/i);
    expect(res.text).toMatch(
      new RegExp(`<iframe src="/dev/outbox/${mail.id}/html" sandbox="[^"]*"`),
    );
    // The app's CSP forbids inline script: every script tag must load a file.
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.headers["content-security-policy"]).toContain("script-src 'self'");
  });

  it("serves the HTML part with a policy that allows inline styles and nothing active", async () => {
    const res = await request(t.app).get(`/dev/outbox/${mail.id}/html`).expect(200);
    expect(res.headers["content-type"]).toMatch(/^text\/html/);
    const policy = String(res.headers["content-security-policy"]);
    expect(policy).toContain("style-src 'unsafe-inline'");
    expect(policy).toContain("default-src 'none'");
    expect(policy).not.toContain("script-src");
    expect(res.text).toContain(`href="${link}"`);
    expect(res.text).toContain('<base target="_blank">');
  });

  it("downloads the RFC 822 source", async () => {
    const res = await request(t.app)
      .get(`/dev/outbox/${mail.id}/source`)
      .buffer(true)
      .parse((response, done) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(res.headers["content-type"]).toMatch(/^message\/rfc822/);
    expect(res.headers["content-disposition"]).toContain(`${mail.id}.eml`);
    expect((res.body as Buffer).toString("utf8")).toContain(`To: ${to}`);
  });

  it("never reads a file outside the outbox folder", async () => {
    // A message-shaped pair right next to the outbox: reachable only by walking out of it.
    const name = `outside-${randomUUID().slice(0, 8)}`;
    const base = path.join(path.dirname(testOutboxDir), name);
    const entry = { ...mail, id: name, subject: `Secret ${name}`, date: new Date().toISOString() };
    await writeFile(`${base}.json`, JSON.stringify(entry));
    await writeFile(`${base}.eml`, `Subject: Secret ${name}\r\n\r\nbody`);
    try {
      for (const suffix of ["", "/html", "/source"]) {
        const res = await request(t.app).get(`/dev/outbox/..%2F${name}${suffix}`);
        expect(res.status).toBe(404);
        expect(res.text).not.toContain(`Secret ${name}`);
      }
    } finally {
      await rm(`${base}.json`, { force: true });
      await rm(`${base}.eml`, { force: true });
    }
  });

  it.each([
    "/dev/outbox/..%2F..%2Fetc%2Fpasswd",
    "/dev/outbox/..%2F..%2Fetc%2Fpasswd/html",
    "/dev/outbox/..%2F..%2Fetc%2Fpasswd/source",
    "/dev/outbox/..%2F..%2Fsession-secret",
    "/dev/outbox/20260101T000000000Z-00000000",
    "/dev/outbox/20260101T000000000Z-00000000/html",
  ])("answers %s with 404", async (url) => {
    const res = await request(t.app).get(url).expect(404);
    expect(res.text).not.toContain("root:");
    expect(res.text).toContain("Page not found");
  });
});

describe("the outbox page in production", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(productionSettings);
  });
  afterAll(() => t.close());

  it("does not exist", async () => {
    const to = uniqueEmail("prod-outbox");
    await enqueueMail(t.deps, {
      to,
      template: "password-reset",
      data: { name: "Prod", link: "http://localhost:3000/password/reset/tok-prod" },
    });
    // The message is on disk (no SMTP_URL here), yet no page shows it.
    const mail = await waitForMail(to);
    for (const url of ["/dev/outbox", `/dev/outbox/${mail.id}`, `/dev/outbox/${mail.id}/html`]) {
      const res = await request(t.app).get(url);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain(to);
    }
  });
});
