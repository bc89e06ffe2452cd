import { buildBusiness, buildUser } from "../../../test/factories";
import { testConfig } from "../../../test/support/config";
import { useTestDatabase } from "../../../test/support/database";
import { startJobProcess, testDeps } from "../../../test/support/deps";
import { startRazorpayStandIn, type RazorpayStandIn } from "../../../test/support/razorpayStandIn";
import type { Deps } from "../../deps";
import { FakeClock } from "../../lib/clock";
import { capturePayment } from "./apply";
import { cancelPlan, changePlan, grantPlan, resumePlan } from "./changes";
import { runBillingCycle } from "./cycle";
import { startTrial } from "./subscriptions";

/**
 * Issue 13 item 1: trial → active → past due → expired on the injected clock, renewal orders,
 * downgrades and cancellation at the period's end, proration, and the admin's grant.
 */
const db = useTestDatabase();
const day = 86_400_000;

describe("the billing cycle", () => {
  let rz: RazorpayStandIn;
  let clock: FakeClock;
  let deps: Deps;
  beforeAll(async () => {
    rz = await startRazorpayStandIn();
  });
  afterAll(() => rz.stop());
  beforeEach(() => {
    clock = new FakeClock("2027-01-31T10:00:00Z");
    deps = { ...testDeps(db.current, { clock }), config: testConfig(rz.config()) };
  });

  async function account(plan = "free") {
    const owner = await buildUser(deps.models, { planCode: plan });
    const { business } = await buildBusiness(deps.models, { owner });
    return { owner, business, who: { userId: owner.id, businessId: business.id } };
  }
  const sub = (userId: number) => deps.models.Subscription.findOne({ where: { userId } });
  const planOf = async (userId: number) => (await deps.models.User.findByPk(userId))?.planCode;

  /** Pays an order the way the checkout callback does. */
  async function pay(orderId: string) {
    const { paymentId } = await rz.pay(orderId);
    return capturePayment(deps, { orderId, paymentId, source: "checkout" });
  }

  async function upgrade(
    who: { userId: number; businessId: number },
    planCode: string,
    interval: "month" | "year" = "month",
  ) {
    const result = await changePlan(deps, who, { planCode, interval, when: "period_end" });
    if (result.kind !== "checkout") throw new Error(`expected a checkout, got ${result.kind}`);
    await pay(result.payment.orderId);
    return result.payment;
  }

  it("ends a trial on Free when nobody pays, on the 14th day and not before", async () => {
    const { owner, business } = await account();
    expect(await startTrial(deps, owner.id, business.id)).toBe(true);
    expect(await startTrial(deps, owner.id, business.id)).toBe(false);
    expect(await planOf(owner.id)).toBe("silver");
    await clock.advance(14 * day - 1000);
    await runBillingCycle(deps);
    expect(await planOf(owner.id)).toBe("silver");
    await clock.advance(1000);
    await runBillingCycle(deps);
    expect(await planOf(owner.id)).toBe("free");
    expect((await sub(owner.id))?.status).toBe("expired");
  });

  it("renews by order: past due with a renewal order at the period's end, active again when paid, from the old end", async () => {
    const { owner, who } = await account();
    await upgrade(who, "silver");
    const paid = await sub(owner.id);
    // 31 January + one month = 28 February (the day clamped to the month's last).
    expect(paid?.periodEnd?.toISOString()).toBe("2027-02-28T10:00:00.000Z");
    await clock.set("2027-02-28T10:00:00Z");
    const counts = await runBillingCycle(deps);
    expect(counts.pastDue).toBeGreaterThanOrEqual(1);
    expect(counts.renewalOrders).toBeGreaterThanOrEqual(1);
    const due = await sub(owner.id);
    expect(due?.status).toBe("past_due");
    expect(due?.graceUntil?.toISOString()).toBe("2027-03-07T10:00:00.000Z");
    expect(await planOf(owner.id)).toBe("silver"); // the grace period keeps the plan
    const renewal = await deps.models.Payment.findByPk(due!.renewalPaymentId!);
    expect(renewal).toMatchObject({ purpose: "renewal", amountMinor: 117882, status: "created" });
    // A second run does not open a second order.
    await runBillingCycle(deps);
    expect((await sub(owner.id))?.renewalPaymentId).toBe(renewal!.id);
    expect(await deps.models.Payment.count({ where: { userId: owner.id } })).toBe(2);

    await clock.set("2027-03-03T08:00:00Z");
    await pay(renewal!.orderId);
    const renewed = await sub(owner.id);
    expect(renewed?.status).toBe("active");
    expect(renewed?.periodStart?.toISOString()).toBe("2027-02-28T10:00:00.000Z");
    expect(renewed?.periodEnd?.toISOString()).toBe("2027-03-28T10:00:00.000Z");
  });

  it("drops an unpaid renewal to Free after the grace period, keeping every record", async () => {
    const { owner, business, who } = await account();
    await upgrade(who, "gold");
    await deps.models.Business.update({ customerCount: 2500 }, { where: { id: business.id } });
    await clock.set("2027-02-28T10:00:00Z");
    await runBillingCycle(deps);
    await clock.set("2027-03-07T09:59:59Z");
    await runBillingCycle(deps);
    expect((await sub(owner.id))?.status).toBe("past_due");
    await clock.set("2027-03-07T10:00:00Z");
    expect((await runBillingCycle(deps)).expired).toBeGreaterThanOrEqual(1);
    expect(await planOf(owner.id)).toBe("free");
    expect((await deps.models.Business.findByPk(business.id))?.customerCount).toBe(2500);
  });

  it("credits the unused half of a paid month against an upgrade", async () => {
    const { owner, who } = await account();
    await upgrade(who, "silver");
    // Half of January 31 → February 28 (28 days) later: 14 days left of 99,900 paise.
    await clock.advance(14 * day);
    const result = await changePlan(deps, who, {
      planCode: "gold",
      interval: "month",
      when: "now",
    });
    if (result.kind !== "checkout") throw new Error("expected a checkout");
    expect(result.payment).toMatchObject({
      listMinor: 249900,
      creditMinor: 49950,
      taxableMinor: 199950,
      taxMinor: 35991,
      amountMinor: 235941,
    });
    await pay(result.payment.orderId);
    expect(await planOf(owner.id)).toBe("gold");
    expect((await sub(owner.id))?.periodEnd?.toISOString()).toBe("2027-03-14T10:00:00.000Z");
  });

  it("downgrades at the period's end (renewing at the lower price), or now without a refund", async () => {
    const { owner, who } = await account();
    await upgrade(who, "gold");
    const later = await changePlan(deps, who, {
      planCode: "silver",
      interval: "month",
      when: "period_end",
    });
    expect(later.kind).toBe("scheduled");
    expect(await planOf(owner.id)).toBe("gold");
    await clock.set("2027-02-28T10:00:00Z");
    await runBillingCycle(deps);
    expect(await planOf(owner.id)).toBe("silver");
    const due = await sub(owner.id);
    expect((await deps.models.Payment.findByPk(due!.renewalPaymentId!))?.amountMinor).toBe(117882);

    const other = await account();
    await upgrade(other.who, "enterprise");
    const now = await changePlan(deps, other.who, {
      planCode: "gold",
      interval: "month",
      when: "now",
    });
    expect(now.kind).toBe("changed");
    expect(await planOf(other.owner.id)).toBe("gold");
    expect((await sub(other.owner.id))?.periodEnd?.toISOString()).toBe("2027-03-28T10:00:00.000Z");
  });

  it("cancels at the period's end, can resume, and a trial cancels at once", async () => {
    const { owner, who } = await account();
    await upgrade(who, "silver", "year");
    expect((await cancelPlan(deps, owner.id, "period_end")).kind).toBe("scheduled");
    await resumePlan(deps, owner.id);
    expect((await sub(owner.id))?.cancelAtPeriodEnd).toBe(false);
    await cancelPlan(deps, owner.id, "period_end");
    await clock.set("2028-01-31T09:59:59Z");
    await runBillingCycle(deps);
    expect(await planOf(owner.id)).toBe("silver");
    await clock.set("2028-01-31T10:00:00Z");
    await runBillingCycle(deps);
    expect(await planOf(owner.id)).toBe("free");
    // No renewal order was opened for a cancelled plan.
    expect(await deps.models.Payment.count({ where: { userId: owner.id } })).toBe(1);

    const trial = await account();
    await startTrial(deps, trial.owner.id, trial.business.id);
    expect((await cancelPlan(deps, trial.owner.id, "period_end")).kind).toBe("changed");
    expect(await planOf(trial.owner.id)).toBe("free");
  });

  it("refuses what makes no sense, changing nothing", async () => {
    const { owner, who } = await account();
    await expect(
      changePlan(deps, who, { planCode: "platinum", interval: "month", when: "now" }),
    ).rejects.toMatchObject({ id: "validation_failed" });
    await upgrade(who, "gold");
    await expect(
      changePlan(deps, who, { planCode: "gold", interval: "month", when: "now" }),
    ).rejects.toMatchObject({ id: "conflict" });
    await expect(resumePlan(deps, owner.id)).rejects.toMatchObject({ id: "conflict" });
    const free = await account();
    await expect(cancelPlan(deps, free.owner.id, "now")).rejects.toMatchObject({ id: "conflict" });
    expect(await planOf(owner.id)).toBe("gold");
    // Without keys: no order, and it says payments are not configured.
    const unconfigured = { ...deps, config: testConfig() };
    await expect(
      changePlan(unconfigured, free.who, { planCode: "silver", interval: "month", when: "now" }),
    ).rejects.toMatchObject({
      id: "service_unavailable",
      message: expect.stringContaining("not configured"),
    });
  });

  it("lets a platform admin grant a plan for some days, written to both activity logs", async () => {
    const admin = await buildUser(deps.models, { isPlatformAdmin: true });
    const { owner } = await account();
    await grantPlan(deps, admin, {
      email: owner.email.toUpperCase(),
      planCode: "enterprise",
      days: 30,
    });
    expect(await planOf(owner.id)).toBe("enterprise");
    for (const userId of [admin.id, owner.id]) {
      const entry = await deps.models.ActivityLog.findOne({
        where: { userId, action: "billing.plan_granted" },
      });
      expect(JSON.parse(entry?.details ?? "{}")).toEqual({
        account: owner.email,
        plan: "enterprise",
        days: 30,
        grantedBy: admin.email,
      });
    }
    await clock.advance(30 * day);
    await runBillingCycle(deps);
    expect(await planOf(owner.id)).toBe("free");
    await expect(
      grantPlan(deps, admin, { email: "nobody@example.test", planCode: "gold", days: null }),
    ).rejects.toMatchObject({ id: "validation_failed" });
  });

  it("runs as the scheduled billing-cycle job on the injected clock", async () => {
    const { owner, business } = await account();
    await startTrial(deps, owner.id, business.id);
    const worker = await startJobProcess(db.current, { clock });
    try {
      await clock.advance(15 * day);
      await worker.jobs.dispatch("billing-cycle", {}, { jobId: `billing-cycle-test-${owner.id}` });
      for (let i = 0; i < 100 && (await planOf(owner.id)) !== "free"; i += 1)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await planOf(owner.id)).toBe("free");
    } finally {
      await worker.close();
    }
  });
});
