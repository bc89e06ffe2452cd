import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn, type Agent } from "../../../test/support/customers";
import { postForm } from "../../../test/support/forms";
import { buildMember, buildSegment } from "../../../test/factories";

const post = (agent: Agent, path: string) => postForm(agent, "/segments", path);

/** The segments page offers and allows deleting a segment to its author and to managers up. */
describe("the segments page", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("lets sales delete the segments they saved, not the team's", async () => {
    const { business, agent } = await ownerSignedIn(t, "silver");
    const { user: seller } = await buildMember(t.deps.models, business, "sales");
    const { user: manager } = await buildMember(t.deps.models, business, "manager");
    const teams = await buildSegment(t.deps.models, { businessId: business.id, name: "Team's" });
    const own = await buildSegment(t.deps.models, {
      businessId: business.id,
      name: "Mine",
      createdById: seller.id,
    });
    const sales = await signedIn(t, seller.email);
    const page = await sales.get("/segments").expect(200);
    expect(page.text).toContain(`action="/segments/${own.id}/delete"`);
    expect(page.text).not.toContain(`action="/segments/${teams.id}/delete"`);

    const refused = await post(sales, `/segments/${teams.id}/delete`);
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("Only the member who saved this segment");
    expect(await t.deps.models.Segment.count({ where: { id: teams.id } })).toBe(1);
    expect((await post(sales, `/segments/${own.id}/delete`)).status).toBe(302);
    expect(await t.deps.models.Segment.count({ where: { id: own.id } })).toBe(0);

    const managerAgent = await signedIn(t, manager.email);
    const managed = await managerAgent.get("/segments").expect(200);
    expect(managed.text).toContain(`action="/segments/${teams.id}/delete"`);
    expect((await post(managerAgent, `/segments/${teams.id}/delete`)).status).toBe(302);
    expect((await agent.get("/segments").expect(200)).text).toContain("No segments yet.");
  });
});
