import { useTestDatabase } from "../../../test/support/database";
import { contextFor, testDeps } from "../../../test/support/deps";
import { buildBusiness, buildMember, buildUser } from "../../../test/factories";
import { buildLead } from "../../../test/factoriesLeads";
import { failure } from "../../../test/support/errors";
import type { AppError } from "../../errors";
import { InProcessQueue } from "../../jobs/inProcessQueue";
import type { EnqueueOptions, JobSpec } from "../../jobs/queue";
import { FakeClock } from "../../lib/clock";
import { createLogger } from "../../logger";
import type { Business, Lead, User } from "../../models";
import { temperatureOf } from "../../models/Lead";
import type { Deps } from "../../deps";
import { ruleMatches, scoreByRules, type ScoringFacts, type ScoringRuleSpec } from "./scoring";
import {
  createScoringRule,
  deleteScoringRule,
  leadScoreView,
  parseRule,
  recomputeBusinessScores,
  setScoreOverride,
  updateScoringRule,
} from "./scoringRules";
import { jobDefinitions } from "../../../workers/processors";
import { createLead, updateLead } from "./writes";

const db = useTestDatabase();

/** Keeps what was queued, so a test can see what a command asked for. */
class RecordingQueue extends InProcessQueue {
  readonly enqueued: Array<{ name: string; payload: unknown }> = [];

  override async enqueue(spec: JobSpec, payload: unknown, options?: EnqueueOptions) {
    this.enqueued.push({ name: spec.name, payload });
    return super.enqueue(spec, payload, options);
  }
}

const rule = (spec: Partial<ScoringRuleSpec>): ScoringRuleSpec => ({
  subject: "field",
  field: null,
  operator: "equals",
  value: null,
  points: 10,
  ...spec,
});

function facts(lead: Record<string, unknown>, more: Partial<ScoringFacts> = {}): ScoringFacts {
  return { lead: lead as ScoringFacts["lead"], answers: {}, eventCounts: {}, ...more };
}

describe("scoring rules, evaluated", () => {
  it("compares fields with equals, contains, is set and greater than (case and blanks ignored)", () => {
    const lead = facts({ industry: " Retail ", company: "RetailWorks", bantBudget: true });
    expect(ruleMatches(rule({ field: "industry", value: "retail" }), lead)).toBe(true);
    expect(
      ruleMatches(rule({ field: "company", operator: "contains", value: "works" }), lead),
    ).toBe(true);
    expect(ruleMatches(rule({ field: "bantBudget", operator: "is_set" }), lead)).toBe(true);
    expect(ruleMatches(rule({ field: "bantNeed", operator: "is_set" }), lead)).toBe(false);
    expect(ruleMatches(rule({ field: "jobTitle", operator: "is_set" }), lead)).toBe(false);
    expect(ruleMatches(rule({ field: "notAField", operator: "is_set" }), lead)).toBe(false);
  });

  it("reads source, campaign (typed or UTM), form answers and engagement counts", () => {
    const lead = facts(
      { source: "Referral", campaignName: null, utmCampaign: "launch-sprint" },
      {
        answers: { budget: "250000", interests: ["CRM", "Billing"], size: "" },
        eventCounts: { form_submitted: 2, replied: 1 },
      },
    );
    expect(ruleMatches(rule({ subject: "source", value: "referral" }), lead)).toBe(true);
    expect(ruleMatches(rule({ subject: "campaign", value: "Launch-Sprint" }), lead)).toBe(true);
    const answer = (spec: Partial<ScoringRuleSpec>) => rule({ subject: "answer", ...spec });
    expect(
      ruleMatches(answer({ field: "budget", operator: "greater_than", value: "100000" }), lead),
    ).toBe(true);
    expect(
      ruleMatches(answer({ field: "budget", operator: "greater_than", value: "900000" }), lead),
    ).toBe(false);
    expect(ruleMatches(answer({ field: "interests", value: "billing" }), lead)).toBe(true);
    expect(ruleMatches(answer({ field: "size", operator: "is_set" }), lead)).toBe(false);
    const engaged = (spec: Partial<ScoringRuleSpec>) => rule({ subject: "engagement", ...spec });
    expect(
      ruleMatches(
        engaged({ field: "form_submitted, replied", operator: "greater_than", value: "2" }),
        lead,
      ),
    ).toBe(true);
    expect(ruleMatches(engaged({ field: "replied", operator: "equals", value: "1" }), lead)).toBe(
      true,
    );
    expect(ruleMatches(engaged({ field: "opened", operator: "is_set" }), lead)).toBe(false);
  });

  it("adds matching points, negative ones too, clamped to 0–100", () => {
    const lead = facts({ source: "Website", industry: "Retail" });
    const plus = [
      rule({ subject: "source", value: "website", points: 80 }),
      rule({ field: "industry", value: "retail", points: 40 }),
    ];
    expect(scoreByRules(plus, lead)).toBe(100);
    expect(scoreByRules([rule({ subject: "source", value: "website", points: -30 })], lead)).toBe(
      0,
    );
    expect(
      scoreByRules([...plus, rule({ field: "industry", operator: "is_set", points: -50 })], lead),
    ).toBe(70);
  });

  it("refuses a bad rule with every field's error", () => {
    const errorsOf = (body: unknown) => {
      try {
        parseRule(body);
      } catch (error) {
        return (error as AppError).details;
      }
      return null;
    };
    expect(errorsOf({ subject: "mood", operator: "equals", points: "x" })).toEqual({
      fields: {
        subject: "Choose what the rule looks at.",
        points: "Enter whole points between -100 and 100.",
        value: "Enter the value to compare with.",
      },
    });
    expect(
      errorsOf({ subject: "field", field: "salary", operator: "equals", value: "", points: "5" }),
    ).toEqual({
      fields: { field: "Choose the lead field.", value: "Enter the value to compare with." },
    });
    expect(
      errorsOf({
        subject: "engagement",
        field: "Replied!",
        operator: "greater_than",
        value: "two",
        points: "5",
      }),
    ).toEqual({
      fields: { field: expect.any(String), value: "Enter a number to compare with." },
    });
    expect(
      parseRule({
        subject: "source",
        field: "ignored",
        operator: "is_set",
        value: "x",
        points: "-5",
      }),
    ).toEqual({
      subject: "source",
      field: null,
      operator: "is_set",
      value: null,
      points: -5,
    });
  });
});

describe("scoring rules, applied to leads", () => {
  const clock = new FakeClock("2026-12-02T05:00:00Z");
  let queue: InProcessQueue;
  let deps: Deps;
  let business: Business;
  let owner: User;

  beforeAll(async () => {
    // Nothing runs jobs here: the queue keeps what rule changes dispatch, and tests run them.
    queue = new InProcessQueue(createLogger("silent"), clock);
    deps = testDeps(db.current, { queue, clock });
    owner = await buildUser(db.current.models, { planCode: "enterprise" });
    ({ business } = await buildBusiness(db.current.models, { owner, name: "Score Keepers" }));
  });
  afterAll(() => queue.close());

  const ownerCtx = () => contextFor(db.current, business, owner);

  it("leaves typed scores alone while the business has no rules", async () => {
    const lead = await createLead(deps, await ownerCtx(), { firstName: "Typed", score: 35 });
    expect(lead.score).toBe(35);
  });

  it("scores leads when created and changed, and again for the whole business when rules change", async () => {
    const ctx = await ownerCtx();
    const website = await createScoringRule(deps, ctx, {
      subject: "source",
      operator: "equals",
      value: "Website",
      points: "30",
    });
    await createScoringRule(deps, ctx, {
      subject: "field",
      field: "bantBudget",
      operator: "is_set",
      points: "45",
    });
    await createScoringRule(deps, ctx, {
      subject: "answer",
      field: "team_size",
      operator: "greater_than",
      value: "50",
      points: "20",
    });
    const lead = await createLead(
      deps,
      ctx,
      { firstName: "Priya", source: "Website", score: 90 },
      { answers: { team_size: "120" } },
    );
    expect(lead.score).toBe(50);
    await updateLead(deps, ctx, lead, { bantBudget: true });
    expect(lead.score).toBe(95);
    expect(temperatureOf(lead.score)).toBe("hot");

    // Leads made before the rules (or by other means) catch up in the recompute job.
    const older: Lead[] = [];
    for (let i = 0; i < 5; i += 1)
      older.push(await buildLead(db.current.models, business, { source: "Website" }));
    expect(
      await recomputeBusinessScores(deps, business.id, { batchSize: 2 }),
    ).toBeGreaterThanOrEqual(5);
    for (const l of older) expect((await l.reload()).score).toBe(30);
    // Idempotent: a second run (a retried job) changes nothing.
    expect(await recomputeBusinessScores(deps, business.id, { batchSize: 2 })).toBe(0);

    await updateScoringRule(deps, ctx, website.id, {
      subject: "source",
      operator: "equals",
      value: "Website",
      points: "-10",
    });
    await recomputeBusinessScores(deps, business.id);
    expect((await older[0]!.reload()).score).toBe(0);
    expect((await lead.reload()).score).toBe(55);
    await deleteScoringRule(deps, ctx, website.id);
    await recomputeBusinessScores(deps, business.id);
    expect((await lead.reload()).score).toBe(65);
  });

  it("queues the recompute job for each rule change, and that job scores the business", async () => {
    const ctx = await ownerCtx();
    const recorded = new RecordingQueue(createLogger("silent"), clock);
    const recording = testDeps(db.current, { queue: recorded, clock });
    const made = await createScoringRule(recording, ctx, {
      subject: "source",
      operator: "is_set",
      points: "1",
    });
    await deleteScoringRule(recording, ctx, made.id);
    expect(recorded.enqueued).toEqual([
      { name: "recompute-lead-scores", payload: { businessId: business.id, userId: null } },
      { name: "recompute-lead-scores", payload: { businessId: business.id, userId: null } },
    ]);
    await recorded.close();
    // The handler itself, as a worker runs it.
    const lead = await buildLead(db.current.models, business, {
      source: "Website",
      bantBudget: true,
    });
    const job = jobDefinitions.find((d) => d.name === "recompute-lead-scores")!;
    await job.perform(deps, { businessId: business.id, userId: null } as never, {
      id: "recompute-test",
      queue: "default",
      name: "recompute-lead-scores",
      attempt: 1,
      signal: new AbortController().signal,
    });
    expect((await lead.reload()).score).toBe(45);
  });

  it("keeps a score set by hand over the rules until cleared, and says what the rules say", async () => {
    const ctx = await ownerCtx();
    const lead = await createLead(deps, ctx, { firstName: "Manual", source: "Event" });
    const ruled = lead.score;
    await setScoreOverride(deps, ctx, lead, "88");
    expect(lead).toMatchObject({ score: 88, scoreOverride: 88 });
    await updateLead(deps, ctx, lead, { bantBudget: true });
    expect(lead.score).toBe(88);
    expect(await leadScoreView(deps, lead)).toEqual({
      score: 88,
      overridden: true,
      override: "88",
      byRules: ruled + 45,
      hasRules: true,
    });
    await recomputeBusinessScores(deps, business.id);
    expect((await lead.reload()).score).toBe(88);
    const bad = await failure(setScoreOverride(deps, ctx, lead, "101"));
    expect(bad.id).toBe("validation_failed");
    expect((await lead.reload()).scoreOverride).toBe(88);
    await setScoreOverride(deps, ctx, lead, "");
    expect(lead).toMatchObject({ score: ruled + 45, scoreOverride: null });
    const events = await db.current.models.LeadEvent.findAll({
      where: { leadId: lead.id, kind: "updated" },
    });
    expect(
      events.map((e) => JSON.parse(e.details ?? "{}").changes.scoreOverride).filter(Boolean),
    ).toEqual([
      [null, 88],
      [88, null],
    ]);
  });

  it("lets only owners, admins and managers edit rules", async () => {
    const { user: sales } = await buildMember(db.current.models, business, "sales");
    const ctx = await contextFor(db.current, business, sales);
    const refused = await failure(
      createScoringRule(deps, ctx, { subject: "source", operator: "is_set", points: "5" }),
    );
    expect(refused.id).toBe("forbidden");
  });
});
