import { createHmac, timingSafeEqual } from "node:crypto";
import type { Application } from "express";
import request from "supertest";
import { z } from "zod";
import { buildTestApp, type TestApp } from "../../test/support/app";
import { signIn } from "../../test/support/forms";
import { buildBusiness, buildUser, defaultPassword } from "../../test/factories";
import { createApp } from "../app";
import { endpoints } from "../routes";
import { endpoint, type Endpoint } from "./endpoint";
import { reply } from "./outcomes";

/**
 * The public and webhook modes, proven on a test-only table mounted beside the real one: no
 * session read or written, no CSRF, the raw body exactly as sent, and their own rate limits.
 */
const secret = "test-webhook-secret";
const signatureOf = (body: Buffer | string) =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** The provider's signature: HMAC-SHA256 of the raw body, as WhatsApp and Razorpay send it. */
function signed({
  req,
  rawBody,
}: {
  req: { get(name: string): string | undefined };
  rawBody: Buffer;
}) {
  const sent = Buffer.from(req.get("x-signature") ?? "");
  const expected = Buffer.from(signatureOf(rawBody));
  return sent.length === expected.length && timingSafeEqual(sent, expected);
}

const leadSchema = z.object({ name: z.string().trim().min(1, { error: "Enter your name." }) });
const eventSchema = z.object({ event: z.string(), amount: z.number().int() });

const testEndpoints: Endpoint[] = [
  endpoint({
    method: "post",
    path: "/test-public/leads",
    auth: "public",
    permission: "anyone",
    responds: "json",
    rateLimit: { points: 100, durationSeconds: 60 },
    body: leadSchema,
    handler: ({ req, ctx, body }) =>
      reply(
        { name: body.name, session: req.session !== undefined, signedIn: Boolean(ctx) },
        "Thanks.",
      ),
  }),
  endpoint({
    method: "get",
    path: "/test-public/page",
    auth: "public",
    permission: "anyone",
    rateLimit: { points: 1, durationSeconds: 60 },
    handler: ({ res }) => {
      res.type("text").send("a public page");
    },
  }),
  endpoint({
    method: "post",
    path: "/test-webhooks/provider",
    auth: "webhook",
    permission: "anyone",
    rateLimit: { points: 100, durationSeconds: 60 },
    verify: signed,
    body: eventSchema,
    handler: ({ req, rawBody, body }) =>
      reply(
        {
          raw: rawBody.toString("base64"),
          event: body.event,
          amount: body.amount,
          session: req.session !== undefined,
        },
        "Received.",
      ),
  }),
  endpoint({
    method: "post",
    path: "/test-webhooks/limited",
    auth: "webhook",
    permission: "anyone",
    rateLimit: { points: 2, durationSeconds: 60 },
    verify: signed,
    handler: () => reply(null, "Received."),
  }),
];

describe("public and webhook endpoints", () => {
  let t: TestApp;
  let app: Application;
  beforeAll(async () => {
    t = await buildTestApp();
    app = createApp(t.deps, [...endpoints, ...testEndpoints]);
  });
  afterAll(() => t.close());

  async function signedInAgent() {
    const user = await buildUser(t.deps.models);
    await buildBusiness(t.deps.models, { owner: user });
    const agent = request.agent(app);
    expect((await signIn(agent, user.email, defaultPassword)).status).toBe(302);
    return { agent, user };
  }

  it("a public form neither reads nor writes a session, needs no CSRF token, and sets no cookie", async () => {
    const { agent, user } = await signedInAgent();
    // The control: the session is live, and pages behind it see it.
    const page = await agent.get("/profile").expect(200);
    expect(page.text).toContain(user.email);
    const before = await t.deps.models.Session.count();

    const res = await agent.post("/test-public/leads").type("form").send({ name: "Ravi" });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      statusCode: 200,
      data: { name: "Ravi", session: false, signedIn: false },
      message: "Thanks.",
    });
    expect(res.headers["set-cookie"]).toBeUndefined();

    const anonymous = await request(app).post("/test-public/leads").send({ name: "Meera" });
    expect(anonymous.status).toBe(200);
    expect(anonymous.headers["set-cookie"]).toBeUndefined();
    expect(await t.deps.models.Session.count()).toBe(before);
    expect(await t.deps.models.Session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("validates a public form as middleware: 422 naming the field", async () => {
    const res = await request(app).post("/test-public/leads").type("form").send({ name: " " });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      error: "validation_failed",
      details: { fields: { name: "Enter your name." } },
    });
  });

  it("hands a webhook the raw body bytes exactly, checks their signature before parsing, and makes no session", async () => {
    const { agent } = await signedInAgent();
    const before = await t.deps.models.Session.count();
    // Spacing, key order, a non-ASCII character and a trailing newline: any re-serialising shows.
    // (Sent as a string: supertest would turn a Buffer into JSON of its own.)
    const raw = Buffer.from('{ "amount":1250,  "event" : "payment.captured", "note":"₹ ok" }\n');
    const res = await agent
      .post("/test-webhooks/provider")
      .set("Content-Type", "application/json")
      .set("X-Signature", signatureOf(raw))
      .send(raw.toString("utf8"));
    expect(res.status).toBe(200);
    expect(Buffer.from(res.body.data.raw, "base64").equals(raw)).toBe(true);
    expect(res.body.data).toMatchObject({
      event: "payment.captured",
      amount: 1250,
      session: false,
    });
    expect(res.headers["set-cookie"]).toBeUndefined();
    expect(await t.deps.models.Session.count()).toBe(before);

    const forged = await request(app)
      .post("/test-webhooks/provider")
      .set("Content-Type", "application/json")
      .set("X-Signature", signatureOf("something else"))
      .send(raw.toString("utf8"));
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ statusCode: 401, error: "unauthorized" });

    const signedButInvalid = Buffer.from('{"event":"payment.captured","amount":"lots"}');
    const invalid = await request(app)
      .post("/test-webhooks/provider")
      .set("Content-Type", "application/json")
      .set("X-Signature", signatureOf(signedButInvalid))
      .send(signedButInvalid.toString("utf8"));
    expect(invalid.status).toBe(422);
    expect(invalid.body.details.fields).toHaveProperty("amount");
  });

  it("limits each public and webhook endpoint per IP: 429 as a page or as the envelope", async () => {
    expect((await request(app).get("/test-public/page")).status).toBe(200);
    const refused = await request(app).get("/test-public/page");
    expect(refused.status).toBe(429);
    expect(refused.headers["content-type"]).toMatch(/text\/html/);
    expect(refused.headers["retry-after"]).toMatch(/^\d+$/);
    expect(refused.text).toContain("Slow down");
    expect(refused.headers["set-cookie"]).toBeUndefined();

    const body = Buffer.from('{"event":"ping"}');
    const send = () =>
      request(app)
        .post("/test-webhooks/limited")
        .set("Content-Type", "application/json")
        .set("X-Signature", signatureOf(body))
        .send(body.toString("utf8"));
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const limited = await send();
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({
      statusCode: 429,
      error: "rate_limited",
      details: { retryAfterSeconds: expect.any(Number) },
    });
  });

  it("health checks are public endpoints: no session, no cookie", async () => {
    const { agent } = await signedInAgent();
    const res = await agent.get("/healthz").expect(200);
    expect(res.body).toEqual({ status: "ok" });
    expect(res.headers["set-cookie"]).toBeUndefined();
  });
});
