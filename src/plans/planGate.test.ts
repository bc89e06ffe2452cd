import { useTestDatabase } from "../../test/support/database";
import { AppError } from "../errors";
import { navigationFor } from "../navigation";
import { assertWithinLimit, featureLock, hasFeature, remaining } from "./planGate";
import { planByCode, planRecordOf } from "./plans";

const db = useTestDatabase();

async function plan(code: string) {
  return planByCode(db.current.models, code);
}

describe("the plan gate", () => {
  it("has the four plans seeded with rising limits", async () => {
    const plans = await db.current.models.Plan.findAll({ order: [["sortOrder", "ASC"]] });
    expect(plans.map((p) => p.code)).toEqual(["free", "silver", "gold", "enterprise"]);
    const customers = plans.map((p) => planRecordOf(p).limits.customers);
    expect(customers).toEqual([500, 10000, 100000, -1]);
  });

  it("allows up to the limit and answers beyond it with an upgrade message and details", async () => {
    const free = await plan("free");
    expect(() => assertWithinLimit(free, "customers", 499)).not.toThrow();
    let error: unknown;
    try {
      assertWithinLimit(free, "customers", 450, 100);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).id).toBe("plan_limit");
    expect((error as AppError).status).toBe(402);
    expect((error as AppError).message).toBe(
      "Your Free plan allows 500 customers; 50 more fit. Upgrade your plan to add more.",
    );
    expect((error as AppError).details).toEqual({
      limit: "customers",
      allowed: 500,
      used: 450,
      plan: "free",
      upgradeTo: { code: "silver", name: "Silver" },
      plansUrl: "/pricing/silver#limit-customers",
    });
    expect(remaining(await plan("enterprise"), "customers", 10_000_000)).toBe(
      Number.POSITIVE_INFINITY,
    );
  });

  it("gates features by plan", async () => {
    expect(hasFeature(await plan("free"), "campaigns")).toBe(false);
    expect(hasFeature(await plan("silver"), "campaigns")).toBe(true);
    expect(hasFeature(null, "customers")).toBe(false);
  });

  it("builds the menu from role and plan: team for everyone, settings for admins", async () => {
    const ctx = (role: "owner" | "sales") => ({
      user: {
        id: 1,
        name: "A",
        email: "a@example.test",
        initials: "A",
        isPlatformAdmin: false,
        avatarUrl: null,
      },
      business: { id: 1 } as never,
      membership: { role } as never,
      plan: null,
      businesses: [],
      system: false,
    });
    const labels = (role: "owner" | "sales") =>
      navigationFor("/team", ctx(role)).map((i) => i.label);
    expect(labels("owner")).toEqual([
      "Dashboard",
      "Team",
      "Business settings",
      "Channels",
      "Billing",
      "My businesses",
    ]);
    expect(labels("sales")).toEqual(["Dashboard", "Team", "My businesses"]);
    expect(navigationFor("/team", ctx("sales")).find((i) => i.active)?.label).toBe("Team");
  });
});

describe("locked features", () => {
  function member(role: "owner" | "sales", plan: Awaited<ReturnType<typeof planByCode>>) {
    return {
      user: {
        id: 1,
        name: "A",
        email: "a@example.test",
        initials: "A",
        isPlatformAdmin: false,
        avatarUrl: null,
      },
      business: { id: 1 } as never,
      membership: { role } as never,
      plan,
      businesses: [],
      system: false,
    };
  }

  it("name the cheapest plan that has the feature, from the catalogue", async () => {
    const free = await planByCode(db.current.models, "free");
    expect(free.upgrades.features).toMatchObject({
      imports: { code: "silver", name: "Silver" },
      segments: { code: "silver", name: "Silver" },
      api: { code: "gold", name: "Gold" },
      tickets: { code: "enterprise", name: "Enterprise" },
    });
    expect(free.upgrades.limits.teamSeats).toEqual({ code: "silver", name: "Silver" });
    const enterprise = await planByCode(db.current.models, "enterprise");
    expect(enterprise.upgrades).toEqual({ features: {}, limits: {} });

    expect(featureLock(free, "segments")).toEqual({
      feature: "segments",
      label: "Segments",
      upgradeTo: { code: "silver", name: "Silver" },
      message: "The Silver plan and above include Segments; this business is on the Free plan.",
      href: "/pricing/silver#feature-segments",
    });
    expect(featureLock(await planByCode(db.current.models, "silver"), "segments")).toBeNull();
  });

  it("stay in the menu with a lock and a link to pricing at the plan that unlocks them", async () => {
    const free = await planByCode(db.current.models, "free");
    const menu = navigationFor("/customers", member("owner", free));
    expect(menu.map((i) => [i.label, i.href, i.lock?.plan ?? null])).toEqual([
      ["Dashboard", "/", null],
      ["Customers", "/customers", null],
      ["Tasks", "/tasks", null],
      ["Segments", "/pricing/silver#feature-segments", "Silver"],
      ["Imports", "/pricing/silver#feature-imports", "Silver"],
      ["Campaigns", "/pricing/silver#feature-campaigns", "Silver"],
      ["Forms", "/pricing/gold#feature-forms", "Gold"],
      ["Social posts", "/pricing/gold#feature-social", "Gold"],
      ["Leads", "/pricing/gold#feature-leads", "Gold"],
      ["Deals", "/pricing/gold#feature-deals", "Gold"],
      ["Analytics", "/pricing/gold#feature-analytics", "Gold"],
      ["Tickets", "/pricing/enterprise#feature-tickets", "Enterprise"],
      ["Webhooks", "/pricing/enterprise#feature-webhooks", "Enterprise"],
      ["Team", "/team", null],
      ["Business settings", "/business/settings", null],
      ["Channels", "/settings/channels", null],
      ["Billing", "/billing", null],
      ["My businesses", "/businesses", null],
    ]);
    const gold = await planByCode(db.current.models, "gold");
    expect(navigationFor("/customers", member("sales", gold)).filter((i) => i.lock)).toEqual([]);
  });
});
