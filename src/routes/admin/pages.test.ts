import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { signIn } from "../../../test/support/forms";
import {
  buildBusiness,
  buildCustomer,
  buildMember,
  buildUser,
  defaultPassword,
} from "../../../test/factories";

describe("platform admin", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("lists tenants with owner, plan, member and customer counts to platform admins only", async () => {
    const { business, owner } = await buildBusiness(t.deps.models, {
      name: "Admin-Visible Tenant",
    });
    await t.deps.models.User.update({ planCode: "silver" }, { where: { id: owner.id } });
    await buildMember(t.deps.models, business, "sales");
    for (const name of ["One", "Two", "Three"])
      await buildCustomer(t.deps.models, business, { name });
    const admin = await buildUser(t.deps.models, { isPlatformAdmin: true });

    const agent = request.agent(t.app);
    await signIn(agent, admin.email, defaultPassword);
    const page = await agent.get("/admin").expect(200);
    const row = /<tr><td[^>]*>Admin-Visible Tenant<\/td>(.*?)<\/tr>/s.exec(page.text)?.[1] ?? "";
    expect(row).toContain(owner.email);
    expect(row).toContain(">silver<");
    expect(row).toMatch(/>2<\/td>/);
    expect(row).toMatch(/data-customers[^>]*>3<\/td>/);

    const member = request.agent(t.app);
    await signIn(member, owner.email, defaultPassword);
    expect((await member.get("/admin")).status).toBe(404);
    expect((await member.get("/")).text).not.toContain("Platform admin");
  });
});
