import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { csrfFrom, signIn } from "../../../test/support/forms";
import { buildBusiness, defaultPassword } from "../../../test/factories";

const details = {
  name: "Sharma Sweets",
  phone: "098765 43210",
  country: "IN",
  timeZone: "Asia/Kolkata",
  currency: "INR",
};

describe("business settings: send-wishes tasks", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("is off for a new business and is switched on and off by the checkbox", async () => {
    const { business, owner } = await buildBusiness(t.deps.models);
    expect(business.wishTasks).toBe(false);
    const agent = request.agent(t.app);
    await signIn(agent, owner.email, defaultPassword);
    const checkbox = (html: string) => /<input[^>]*name="wishTasks"[^>]*>/.exec(html)?.[0] ?? "";

    const page = await agent.get("/business/settings").expect(200);
    expect(checkbox(page.text)).not.toContain("checked");
    await agent
      .post("/business/settings")
      .type("form")
      .send({ _csrf: csrfFrom(page), ...details, wishTasks: "on" })
      .expect(302);
    expect((await business.reload()).wishTasks).toBe(true);

    const ticked = await agent.get("/business/settings").expect(200);
    expect(checkbox(ticked.text)).toContain("checked");
    // An unticked checkbox is simply absent from the form.
    await agent
      .post("/business/settings")
      .type("form")
      .send({ _csrf: csrfFrom(ticked), ...details })
      .expect(302);
    expect((await business.reload()).wishTasks).toBe(false);
  });
});
