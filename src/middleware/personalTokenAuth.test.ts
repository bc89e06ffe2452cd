import request from "supertest";
import { buildTestApp, type TestApp } from "../../test/support/app";
import { buildBusiness } from "../../test/factories";
import { createPersonalToken } from "../commands/personalTokens";
import { loadTenantContext } from "../tenancy/loader";

/** Each personal token has its own request budget, told in the IETF draft's RateLimit-* headers. */
describe("personal token rate limit", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ PERSONAL_TOKEN_REQUESTS_PER_MINUTE: "3" });
  });
  afterAll(() => t.close());

  async function newToken(): Promise<string> {
    const { business, owner } = await buildBusiness(t.deps.models);
    const ctx = await loadTenantContext(t.deps, { userId: owner.id, businessId: business.id });
    if (!ctx) throw new Error("no context");
    const { token } = await createPersonalToken(t.deps, ctx, {
      name: "Limits",
      scopes: ["customers:read"],
      expiresInDays: 30,
    });
    return token;
  }

  const get = (token: string) =>
    request(t.app).get("/api/v1/customers").set("Authorization", `Bearer ${token}`);

  it("counts down in the headers, then answers 429 with Retry-After", async () => {
    const token = await newToken();
    for (const remaining of [2, 1, 0]) {
      const res = await get(token).expect(200);
      expect(res.headers["ratelimit-limit"]).toBe("3");
      expect(res.headers["ratelimit-remaining"]).toBe(String(remaining));
      const reset = Number(res.headers["ratelimit-reset"]);
      expect(reset).toBeGreaterThanOrEqual(1);
      expect(reset).toBeLessThanOrEqual(60);
    }
    const over = await get(token).expect(429);
    expect(over.body.error).toBe("rate_limited");
    expect(over.headers["ratelimit-remaining"]).toBe("0");
    expect(Number(over.headers["retry-after"])).toBeGreaterThanOrEqual(1);
  });

  it("keeps one token's budget apart from another's, and JWT logins out of it", async () => {
    const spent = await newToken();
    for (let i = 0; i < 4; i += 1) await get(spent);
    const fresh = await newToken();
    const res = await get(fresh).expect(200);
    expect(res.headers["ratelimit-remaining"]).toBe("2");
    const anonymous = await request(t.app).get("/api/v1");
    expect(anonymous.headers["ratelimit-limit"]).toBeUndefined();
  });
});
