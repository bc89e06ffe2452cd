import request from "supertest";
import { buildTestApp, type TestApp } from "../../test/support/app";
import { csrfFrom } from "../../test/support/forms";
import { buildUser, defaultPassword } from "../../test/factories";

describe("flash messages", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("survive a redirect on the way and show once, on the first page that renders", async () => {
    const user = await buildUser(t.deps.models);
    const agent = request.agent(t.app);
    const login = await agent.get("/login");
    await agent
      .post("/login")
      .type("form")
      .send({ _csrf: csrfFrom(login), email: user.email, password: defaultPassword });
    // Without a business "/" redirects to onboarding; the welcome must still arrive there.
    expect((await agent.get("/")).headers.location).toBe("/onboarding");
    expect((await agent.get("/onboarding")).text).toContain("Welcome back.");
    expect((await agent.get("/onboarding")).text).not.toContain("Welcome back.");
  });
});
