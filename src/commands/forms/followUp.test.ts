import { buildTestApp, type TestApp } from "../../../test/support/app";
import { contextFor } from "../../../test/support/deps";
import { waitFor } from "../../../test/support/processes";
import { buildBusiness, buildMember, buildUser } from "../../../test/factories";
import { buildForm, buildOwedSubmission, followedUp } from "../../../test/factoriesForms";
import { buildLead } from "../../../test/factoriesLeads";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";
import { loadTenantContext } from "../../tenancy/loader";
import { defaultSequence, newRunKey, runNurture } from "../leads/nurture";
import { saveAssignmentSettings } from "../leads/roundRobinSettings";
import { createScoringRule } from "../leads/scoringRules";
import { issueFormToken } from "./spam";
import { publicForm } from "./formCache";
import { followUpSubmission, formFollowUpStep } from "./followUp";
import { submitForm } from "./submit";

/**
 * The submission's follow-up job (followUp.ts) and the rescoring of leads whose events change
 * outside createLead/updateLead (leads/rescore.ts): what runs after the visitor's answer.
 */
describe("form follow-ups and rescoring", () => {
  const clock = new FakeClock("2026-12-04T05:00:00Z");
  let t: TestApp;
  let business: Business;
  let owner: User;

  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
    owner = await buildUser(t.deps.models, { planCode: "enterprise" });
    ({ business } = await buildBusiness(t.deps.models, { owner }));
  });
  afterAll(() => t.close());

  const system = async () =>
    (await loadTenantContext(t.deps, { businessId: business.id, userId: null }))!;

  it("runs once: a second run of the same follow-up changes nothing", async () => {
    const submission = await buildOwedSubmission(t.deps.models, business);
    const ctx = await system();
    await followUpSubmission(t.deps, ctx, submission.id);
    await followUpSubmission(t.deps, ctx, submission.id);
    const form = await t.deps.models.Form.findByPk(submission.formId);
    expect(form?.submissionCount).toBe(1);
    const events = await t.deps.models.LeadEvent.findAll({
      where: { leadId: submission.leadId! },
    });
    expect(events.map((e) => e.kind)).toEqual(["created"]);
    const notes = await t.deps.models.Notification.findAll({
      where: { dedupeKey: `form-submission:${submission.id}` },
    });
    expect(notes).toHaveLength(1);
    await submission.reload();
    expect(submission.processedAt).not.toBeNull();
  });

  it("hands out round-robin turns fairly when follow-ups run at the same time", async () => {
    const { business: shop, owner: shopOwner } = await buildBusiness(t.deps.models, {
      owner: await buildUser(t.deps.models, { planCode: "enterprise" }),
    });
    const members: User[] = [];
    for (const name of ["Asha", "Bala", "Chitra"]) {
      const user = await buildUser(t.deps.models, { name });
      await buildMember(t.deps.models, shop, "sales", user);
      members.push(user);
    }
    await saveAssignmentSettings(t.deps, await contextFor(t.deps, shop, shopOwner), {
      enabled: true,
      chosen: members.map((m) => m.id),
      available: members.map((m) => m.id),
    });
    const form = await buildForm(t.deps.models, shop, { assignment: "round_robin" });
    const owed = [];
    for (let i = 0; i < 12; i++)
      owed.push(await buildOwedSubmission(t.deps.models, shop, { form }));
    const ctx = (await loadTenantContext(t.deps, { businessId: shop.id, userId: null }))!;
    // All at once on MariaDB (row locks order the turns); SQLite takes one writer at a time and
    // its busy transactions are the queue's retries to handle, so there they run in turn.
    if (t.deps.sequelize.getDialect() === "mysql")
      await Promise.all(owed.map((s) => followUpSubmission(t.deps, ctx, s.id)));
    else for (const s of owed) await followUpSubmission(t.deps, ctx, s.id);
    const leads = await t.deps.models.Lead.findAll({
      where: { id: owed.map((s) => s.leadId!) },
    });
    const per = new Map<number | null, number>();
    for (const lead of leads) per.set(lead.ownerId, (per.get(lead.ownerId) ?? 0) + 1);
    expect([...per.entries()].sort()).toEqual(members.map((m) => [m.id, 4]).sort());
  });

  it("is queued again by the reconciler when its job was lost", async () => {
    // Made a minute and more before the pass, on the test's clock: younger ones are still on
    // their way. (Setting createdAt by an update was silently ignored, so this test passed only
    // while the wall clock was behind the fixed one, and failed from the day it was not.)
    const submission = await buildOwedSubmission(t.deps.models, business, {
      createdAt: new Date(clock.nowMs() - 120_000),
    });
    const queued = await formFollowUpStep.run({ ...t.deps, now: clock.now() });
    expect(queued).toBeGreaterThanOrEqual(1);
    await followedUp(t.deps, submission.formId);
    await submission.reload();
    expect(submission.processedAt).not.toBeNull();
    const lead = await t.deps.models.Lead.findByPk(submission.leadId!);
    const events = await t.deps.models.LeadEvent.count({ where: { leadId: lead!.id } });
    expect(events).toBe(1);
  });

  it("scores a returning lead again when its submission attaches (engagement and answers)", async () => {
    const ctx = await contextFor(t.deps, business, owner);
    await createScoringRule(t.deps, ctx, {
      subject: "engagement",
      field: "form_submitted",
      operator: "is_set",
      value: null,
      points: 40,
    });
    const lead = await buildLead(t.deps.models, business, { email: "back@example.test", score: 0 });
    const form = await buildForm(t.deps.models, business);
    const target = await publicForm(t.deps, form.slug);
    const result = await submitForm(t.deps, target!, {
      _form_token: issueFormToken(t.deps.config, form.id, new Date(clock.nowMs() - 10_000)),
      company_website: "",
      f1: "Back Again",
      f2: "back@example.test",
    });
    expect(result.kind).toBe("accepted");
    await followedUp(t.deps, form.id);
    await lead.reload();
    expect(lead.score).toBe(40);
    await t.deps.models.LeadScoringRule.destroy({ where: { businessId: business.id } });
  });

  it("scores nurtured leads again when a rule counts nurture runs (the recompute job)", async () => {
    const ctx = await contextFor(t.deps, business, owner);
    await createScoringRule(t.deps, ctx, {
      subject: "engagement",
      field: "nurtured",
      operator: "is_set",
      value: null,
      points: 25,
    });
    const lead = await buildLead(t.deps.models, business, { ownerId: owner.id, score: 0 });
    // The rule's own recompute of every lead first, so what follows is the nurture's.
    await waitFor("the rule's recompute", async () => (await lead.reload()).score === 0);
    await runNurture(t.deps, ctx, newRunKey(), [lead.id], defaultSequence);
    await waitFor("the nurtured lead's new score", async () => (await lead.reload()).score === 25, {
      timeoutMs: 20_000,
    });
    await t.deps.models.LeadScoringRule.destroy({ where: { businessId: business.id } });
  });
});
