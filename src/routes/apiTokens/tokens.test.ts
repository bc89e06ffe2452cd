import request from "supertest";
import type TestAgent from "supertest/lib/agent";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { csrfFrom, signIn } from "../../../test/support/forms";
import {
  buildBusiness,
  buildCustomer,
  buildMember,
  defaultPassword,
} from "../../../test/factories";
import { lastUsedIntervalMs, personalTokenPattern } from "../../commands/personalTokens";
import { hashToken } from "../../lib/tokens";
import { FakeClock } from "../../lib/clock";
import type { User } from "../../models";

const clock = new FakeClock("2026-12-10T06:00:00Z");

/** Personal API tokens, as a member creates and uses them. */
describe("Personal API tokens", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
  });
  afterAll(() => t.close());

  async function browserOf(user: User): Promise<TestAgent> {
    const agent = request.agent(t.app);
    expect((await signIn(agent, user.email, defaultPassword)).status).toBe(302);
    return agent;
  }

  /** Creates a token on the page and reads it off the answer (the only time it is shown). */
  async function createToken(
    agent: TestAgent,
    fields: { name?: string; scopes: string[]; expiresInDays?: number },
  ): Promise<string> {
    const page = await agent.get("/profile/api-tokens").expect(200);
    const res = await agent
      .post("/profile/api-tokens")
      .type("form")
      .send({
        _csrf: csrfFrom(page),
        name: fields.name ?? "Sync script",
        scopes: fields.scopes,
        expiresInDays: String(fields.expiresInDays ?? 30),
      });
    expect(res.status).toBe(201);
    const token = /data-slot="token-value" value="([^"]+)"|value="(crm_pat_[^"]+)"/.exec(res.text);
    const value = token?.[1] ?? token?.[2];
    if (!value) throw new Error("no token on the page");
    return value;
  }

  const api = (token: string) => ({
    get: (path: string) =>
      request(t.app).get(`/api/v1${path}`).set("Authorization", `Bearer ${token}`),
    post: (path: string, body: object) =>
      request(t.app).post(`/api/v1${path}`).set("Authorization", `Bearer ${token}`).send(body),
  });

  it("is shown once, stored only as its hash, and listed with its facts", async () => {
    const { business, owner } = await buildBusiness(t.deps.models);
    const agent = await browserOf(owner);
    const token = await createToken(agent, { scopes: ["customers:read"], name: "Reporting" });
    expect(token).toMatch(personalTokenPattern);

    const row = await t.deps.models.PersonalToken.findOne({ where: { businessId: business.id } });
    expect(row?.tokenHash).toBe(hashToken(token));
    expect(JSON.stringify(row?.toJSON())).not.toContain(token);
    expect(row?.scopes).toBe("customers:read");
    expect(row?.expiresAt?.toISOString()).toBe("2027-01-09T06:00:00.000Z");

    // Reached from the profile's tabs.
    expect((await agent.get("/profile").expect(200)).text).toContain('href="/profile/api-tokens"');
    const list = await agent.get("/profile/api-tokens").expect(200);
    expect(list.text).not.toContain(token);
    expect(list.text).toContain("Reporting");
    expect(list.text).toContain(token.slice(0, 12));
    expect(list.text).toMatch(/Last used<\/dt><dd>Never/);
  });

  it("refuses a form without a name or scopes, naming each field", async () => {
    const { owner } = await buildBusiness(t.deps.models);
    const agent = await browserOf(owner);
    const page = await agent.get("/profile/api-tokens");
    const res = await agent
      .post("/profile/api-tokens")
      .type("form")
      .send({ _csrf: csrfFrom(page), name: "", expiresInDays: "1000" });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Name the token");
    expect(res.text).toContain("Choose at least one scope.");
    expect(res.text).toContain("Choose when the token expires");
  });

  it("works as a Bearer token beside the JWT login, within its scopes", async () => {
    const { business, owner } = await buildBusiness(t.deps.models);
    await buildCustomer(t.deps.models, business, { name: "Asha Rao" });
    const token = await createToken(await browserOf(owner), { scopes: ["customers:read"] });

    const list = await api(token).get("/customers").expect(200);
    expect(list.body.data.map((c: { name: string }) => c.name)).toEqual(["Asha Rao"]);
    expect((await api(token).get("/auth/me").expect(200)).body.data.user.email).toBe(owner.email);

    // A write without customers:write, and a resource not in its scopes.
    const write = await api(token).post("/customers", { name: "New One", phone: "+919812345678" });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({
      error: "insufficient_scope",
      details: { scope: "customers:write" },
    });
    const tasks = await api(token).get("/tasks");
    expect(tasks.status).toBe(403);
    expect(tasks.body.details.scope).toBe("tasks:read");

    // The JWT login still works as before.
    const login = await request(t.app)
      .post("/api/v1/auth/login")
      .send({ email: owner.email, password: defaultPassword })
      .expect(200);
    await request(t.app)
      .get("/api/v1/tasks")
      .set("Authorization", `Bearer ${login.body.data.accessToken as string}`)
      .expect(200);
  });

  it("write scope covers read; the member's role still limits it", async () => {
    const { business } = await buildBusiness(t.deps.models);
    const { user: marketer } = await buildMember(t.deps.models, business, "marketing");
    const token = await createToken(await browserOf(marketer), {
      scopes: ["customers:write", "tasks:write"],
    });
    await api(token).get("/customers").expect(200);
    // Marketing may not manage customers or tasks, whatever the token's scopes.
    const write = await api(token).post("/customers", { name: "X", phone: "+919812345670" });
    expect(write.status).toBe(403);
    expect(write.body.error).toBe("forbidden");
  });

  it("reaches only its own business, and refuses another business named by X-Business-Id", async () => {
    const { owner, business } = await buildBusiness(t.deps.models);
    const { business: other } = await buildBusiness(t.deps.models, { owner });
    const foreign = await buildCustomer(t.deps.models, other, { name: "Other Shop Customer" });
    await buildCustomer(t.deps.models, business, { name: "Mine" });
    const agent = await browserOf(owner);
    // The page's business is the member's first: the token belongs to it.
    const token = await createToken(agent, { scopes: ["customers:read"] });
    const row = await t.deps.models.PersonalToken.findOne({
      where: { tokenHash: hashToken(token) },
    });
    expect(row?.businessId).toBe(business.id);

    const list = await api(token).get("/customers").expect(200);
    expect(list.body.data.map((c: { name: string }) => c.name)).toEqual(["Mine"]);
    await api(token).get(`/customers/${foreign.id}`).expect(404);
    const named = await api(token).get("/customers").set("X-Business-Id", String(other.id));
    expect(named.status).toBe(403);
  });

  it("expires: 401 once its expiry has passed", async () => {
    const { owner } = await buildBusiness(t.deps.models);
    const token = await createToken(await browserOf(owner), {
      scopes: ["customers:read"],
      expiresInDays: 7,
    });
    await api(token).get("/customers").expect(200);
    await clock.advance(7 * 86_400_000 - 1000);
    await api(token).get("/customers").expect(200);
    await clock.advance(2000);
    const res = await api(token).get("/customers");
    expect(res.status).toBe(401);
    expect(res.body.details.reason).toBe("token_expired");
  });

  it("is revoked after a confirmation, and then refused with 401", async () => {
    const { owner } = await buildBusiness(t.deps.models);
    const agent = await browserOf(owner);
    const token = await createToken(agent, { scopes: ["customers:read"] });
    await api(token).get("/customers").expect(200);
    const row = await t.deps.models.PersonalToken.findOne({
      where: { tokenHash: hashToken(token) },
    });
    const id = row?.id ?? 0;

    const confirm = await agent.get(`/profile/api-tokens/${id}/revoke`).expect(200);
    expect(confirm.text).toContain("Revoke “Sync script”?");
    expect(await t.deps.models.PersonalToken.count({ where: { id, revokedAt: null } })).toBe(1);
    await agent
      .post(`/profile/api-tokens/${id}/revoke`)
      .type("form")
      .send({ _csrf: csrfFrom(confirm) })
      .expect(303);
    const res = await api(token).get("/customers");
    expect(res.status).toBe(401);
    expect(res.body.details.reason).toBe("token_revoked");
    expect((await agent.get("/profile/api-tokens")).text).toContain("Revoked");
    const activity = await agent.get("/profile/activity").expect(200);
    expect(activity.text).toContain("Created a personal API token");
    expect(activity.text).toContain("Revoked a personal API token");
  });

  it("another member cannot see or revoke someone's token (404)", async () => {
    const { business, owner } = await buildBusiness(t.deps.models);
    const { user: admin } = await buildMember(t.deps.models, business, "admin");
    const token = await createToken(await browserOf(owner), { scopes: ["customers:read"] });
    const row = await t.deps.models.PersonalToken.findOne({
      where: { tokenHash: hashToken(token) },
    });
    const agent = await browserOf(admin);
    await agent.get(`/profile/api-tokens/${row?.id ?? 0}/revoke`).expect(404);
    expect((await agent.get("/profile/api-tokens")).text).not.toContain("Sync script");
  });

  it("records its last use at most once a minute", async () => {
    const { owner } = await buildBusiness(t.deps.models);
    const token = await createToken(await browserOf(owner), { scopes: ["customers:read"] });
    const lastUsed = async () =>
      (
        await t.deps.models.PersonalToken.findOne({ where: { tokenHash: hashToken(token) } })
      )?.lastUsedAt?.getTime();
    expect(await lastUsed()).toBeUndefined();
    const first = clock.nowMs();
    await api(token).get("/customers").expect(200);
    expect(await lastUsed()).toBe(first);
    await clock.advance(lastUsedIntervalMs - 5000);
    await api(token).get("/customers").expect(200);
    expect(await lastUsed()).toBe(first);
    await clock.advance(10_000);
    await api(token).get("/customers").expect(200);
    expect(await lastUsed()).toBe(clock.nowMs());
  });

  it("stops working when its member leaves the business (401)", async () => {
    const { business } = await buildBusiness(t.deps.models);
    const { user, membership } = await buildMember(t.deps.models, business, "manager");
    const token = await createToken(await browserOf(user), { scopes: ["customers:read"] });
    await api(token).get("/customers").expect(200);
    await membership.destroy();
    const res = await api(token).get("/customers");
    expect(res.status).toBe(401);
    expect(res.body.details.reason).toBe("token_revoked");
  });

  it("a malformed or unknown crm_pat_ token is a 401", async () => {
    const res = await api("crm_pat_nothing").get("/customers");
    expect(res.status).toBe(401);
    expect(res.body.details.reason).toBe("token_invalid");
    const unknown = await api(`crm_pat_${"a".repeat(40)}`).get("/customers");
    expect(unknown.status).toBe(401);
  });
});
