import request from "supertest";
import { buildTestApp, type TestApp } from "../../test/support/app";
import { csrfFrom } from "../../test/support/forms";
import { buildUser, defaultPassword } from "../../test/factories";

function sessionId(setCookie: string | string[] | undefined): string | undefined {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return cookies.map((c) => /^crm\.sid=([^;.]+)/.exec(c)?.[1]).find(Boolean);
}

describe("CSRF protection on state-changing forms", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("rejects a POST without a token with 403 and changes nothing", async () => {
    const user = await buildUser(t.deps.models);
    const agent = request.agent(t.app);
    const page = await agent.get("/login").expect(200);
    const sidBefore = sessionId(page.headers["set-cookie"]);
    const res = await agent
      .post("/login")
      .type("form")
      .send({ email: user.email, password: defaultPassword });
    expect(res.status).toBe(403);
    expect(res.text).toContain('data-error-id="csrf_invalid"');
    // Still the anonymous session: a sign-in would have sent a new id.
    expect(sidBefore).toBeDefined();
    expect(sessionId(res.headers["set-cookie"]) ?? sidBefore).toBe(sidBefore);
    expect(await t.deps.models.Session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("rejects a token taken from another browser's session", async () => {
    const user = await buildUser(t.deps.models);
    const other = await request.agent(t.app).get("/login");
    const agent = request.agent(t.app);
    await agent.get("/login");
    const res = await agent
      .post("/login")
      .type("form")
      .send({ _csrf: csrfFrom(other), email: user.email, password: defaultPassword });
    expect(res.status).toBe(403);
    expect(await t.deps.models.Session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("accepts the token the form carried, in the body or the X-CSRF-Token header", async () => {
    const user = await buildUser(t.deps.models);
    const agent = request.agent(t.app);
    const page = await agent.get("/login");
    const res = await agent
      .post("/login")
      .set("X-CSRF-Token", csrfFrom(page))
      .type("form")
      .send({ email: user.email, password: defaultPassword });
    expect(res.status).toBe(302);
    expect(await t.deps.models.Session.count({ where: { userId: user.id } })).toBe(1);
  });

  it("rejects a POST from a browser that never had a session", async () => {
    const res = await request(t.app).post("/logout").type("form").send({ _csrf: "guess" });
    expect(res.status).toBe(403);
  });
});
