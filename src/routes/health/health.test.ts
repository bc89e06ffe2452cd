import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";

describe("health endpoints", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("GET /healthz answers while the process is alive", async () => {
    const res = await request(t.app).get("/healthz").expect(200);
    expect(res.body).toEqual({ status: "ok" });
  });

  it("GET /readyz checks the database, and Redis when jobs run on it", async () => {
    const res = await request(t.app).get("/readyz").expect(200);
    const expected: Record<string, string> = { database: "ok" };
    if (process.env.REDIS_URL) expected.redis = "ok";
    expect(res.body).toEqual({ status: "ok", checks: expected });
  });

  it("GET /readyz reports 503 while shutting down, so a load balancer stops sending traffic", async () => {
    t.deps.lifecycle.shuttingDown = true;
    try {
      const res = await request(t.app).get("/readyz").expect(503);
      expect(res.body.checks.process).toBe("shutting down");
    } finally {
      t.deps.lifecycle.shuttingDown = false;
    }
  });
});

describe("readiness without a database", () => {
  it("GET /readyz reports 503 naming the database when it cannot be reached", async () => {
    const t = await buildTestApp();
    await t.deps.sequelize.close();
    try {
      const res = await request(t.app).get("/readyz").expect(503);
      expect(res.body.status).toBe("unavailable");
      expect(res.body.checks.database).not.toBe("ok");
    } finally {
      // The database is closed already; what else the app holds (queue, Redis for limits) is not.
      await t.deps.queue.close();
      await t.deps.loginLimiter.close();
      await t.deps.rateLimits.close();
    }
  });
});
