import { buildMember, buildUser } from "../../../test/factories";
import { buildLead } from "../../../test/factoriesLeads";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn, type Agent } from "../../../test/support/customers";
import { postForm } from "../../../test/support/forms";
import { recomputeBusinessScores } from "../../commands/leads/scoringRules";

/** Forms posted from /settings/lead-assignment (every form there carries the same token). */
const post = (agent: Agent, path: string, body: Record<string, unknown> = {}) =>
  postForm(agent, "/settings/lead-assignment", path, body);

/** Issue 12 items 3 and 4: the scoring rules page, the round-robin page, the lead's score. */
describe("lead scoring and assignment pages", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("adds, edits and removes (after a confirmation) scoring rules, keeping bad input with each error", async () => {
    const { agent, business } = await ownerSignedIn(t, "enterprise");
    const empty = await agent.get("/settings/lead-scoring").expect(200);
    expect(empty.text).toContain("No rules yet");

    const bad = await post(agent, "/settings/lead-scoring", {
      subject: "answer",
      fieldKey: "",
      operator: "greater_than",
      value: "lots",
      points: "500",
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Enter the form field&#x27;s key");
    expect(bad.text).toContain("Enter a number to compare with.");
    expect(bad.text).toContain('value="lots"');
    expect(await t.deps.models.LeadScoringRule.count({ where: { businessId: business.id } })).toBe(
      0,
    );

    expect(
      (
        await post(agent, "/settings/lead-scoring", {
          subject: "source",
          operator: "equals",
          value: "Referral",
          points: "30",
        })
      ).status,
    ).toBe(302);
    expect(
      (
        await post(agent, "/settings/lead-scoring", {
          subject: "answer",
          fieldKey: "team_size",
          operator: "greater_than",
          value: "50",
          points: "-10",
        })
      ).status,
    ).toBe(302);
    const list = await agent.get("/settings/lead-scoring").expect(200);
    expect(list.text).toContain("If Source equals “Referral”");
    expect(list.text).toContain("+30 points");
    expect(list.text).toContain("If Form answer “team_size” is greater than “50”");
    expect(list.text).toContain("-10 points");

    const [first] = await t.deps.models.LeadScoringRule.findAll({
      where: { businessId: business.id },
      order: [["id", "ASC"]],
    });
    const edit = await agent.get(`/settings/lead-scoring/${first!.id}/edit`).expect(200);
    expect(edit.text).toContain('value="Referral"');
    expect(
      (
        await post(agent, `/settings/lead-scoring/${first!.id}`, {
          subject: "field",
          field: "industry",
          operator: "contains",
          value: "retail",
          points: "25",
        })
      ).status,
    ).toBe(302);
    expect(await first!.reload()).toMatchObject({
      subject: "field",
      field: "industry",
      points: 25,
    });

    const confirm = await agent.get(`/settings/lead-scoring/${first!.id}/delete`).expect(200);
    expect(confirm.text).toContain("Remove rule");
    expect((await post(agent, `/settings/lead-scoring/${first!.id}/delete`, {})).status).toBe(422);
    expect(await t.deps.models.LeadScoringRule.count({ where: { id: first!.id } })).toBe(1);
    expect(
      (await post(agent, `/settings/lead-scoring/${first!.id}/delete`, { confirm: "yes" })).status,
    ).toBe(302);
    expect(await t.deps.models.LeadScoringRule.count({ where: { id: first!.id } })).toBe(0);
  });

  it("saves round-robin members and availability, refusing switching on with nobody", async () => {
    const { agent, business } = await ownerSignedIn(t, "enterprise");
    const { user: asha } = await buildMember(
      t.deps.models,
      business,
      "sales",
      await buildUser(t.deps.models, { name: "Asha Sales" }),
    );
    const page = await agent.get("/settings/lead-assignment").expect(200);
    expect(page.text).toContain("Asha Sales");

    const refused = await post(agent, "/settings/lead-assignment", { enabled: "on" });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("Choose at least one member to switch round-robin on.");

    expect(
      (
        await post(agent, "/settings/lead-assignment", {
          enabled: "on",
          chosen: [String(asha.id)],
          available: [String(asha.id)],
        })
      ).status,
    ).toBe(302);
    const saved = await agent.get("/settings/lead-assignment").expect(200);
    expect(saved.text).toContain("1 member(s) take turns now.");

    // The lead form's "Automatic (round-robin)" owner gives it to Asha.
    const form = await agent.get("/leads/new").expect(200);
    expect(form.text).toContain("Automatic (round-robin)");
    expect((await post(agent, "/leads", { firstName: "Auto Lead", ownerId: "auto" })).status).toBe(
      302,
    );
    const lead = await t.deps.models.Lead.findOne({
      where: { businessId: business.id, firstName: "Auto Lead" },
    });
    expect(lead?.ownerId).toBe(asha.id);

    // Sales members can neither open the settings nor choose automatic.
    const sales = await signedIn(t, asha.email);
    await sales.get("/settings/lead-assignment").expect(403);
    await sales.get("/settings/lead-scoring").expect(403);
  });

  it("shows the score on the lead page and sets and clears it by hand", async () => {
    const { agent, business } = await ownerSignedIn(t, "enterprise");
    const lead = await buildLead(t.deps.models, business, { source: "Referral", score: 12 });
    const typed = await agent.get(`/leads/${lead.id}`).expect(200);
    expect(typed.text).toContain("as typed (the business has no scoring rules yet)");

    await t.deps.models.LeadScoringRule.create({
      businessId: business.id,
      subject: "source",
      field: null,
      operator: "equals",
      value: "referral",
      points: 40,
      position: 0,
    });
    await recomputeBusinessScores(t.deps, business.id);
    const ruled = await agent.get(`/leads/${lead.id}`).expect(200);
    expect(ruled.text).toMatch(/data-score>40<[\s\S]*from the scoring rules/);

    const bad = await post(agent, `/leads/${lead.id}/score`, { scoreOverride: "150" });
    expect(bad.status).toBe(302);
    const flashed = await agent.get(`/leads/${lead.id}`).expect(200);
    expect(flashed.text).toContain("Enter a whole score between 0 and 100");
    expect((await lead.reload()).scoreOverride).toBeNull();

    expect((await post(agent, `/leads/${lead.id}/score`, { scoreOverride: "85" })).status).toBe(
      302,
    );
    const manual = await agent.get(`/leads/${lead.id}`).expect(200);
    expect(manual.text).toMatch(/data-score>85<[\s\S]*set by hand \(rules say 40\)/);
    expect(manual.text).toContain("Clear: let the rules set it");

    expect((await post(agent, `/leads/${lead.id}/score`, { scoreOverride: "" })).status).toBe(302);
    expect(await lead.reload()).toMatchObject({ score: 40, scoreOverride: null });
  });
});
