import { buildTestApp, type TestApp } from "../../test/support/app";
import { ownerSignedIn } from "../../test/support/customers";
import { postForm as post } from "../../test/support/forms";
import { buildCustomer, uniquePhone } from "../../test/factories";
import { limitNames } from "../models/Plan";
import { assertWithinLimit, readOnlyLock } from "./planGate";
import { planCatalogue } from "./plans";

/**
 * Issue 13 item 4: every limit of every plan through the one gate, at the limit and one past it;
 * and what an expired plan leaves behind — records beyond the limit, kept and read-only.
 */
describe("plan limits", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("allow the last one up to each limit and refuse one past it, naming the plan that allows more", async () => {
    for (const plan of await planCatalogue(t.deps.models)) {
      for (const name of limitNames) {
        const limit = plan.limits[name];
        if (limit < 0) {
          expect(() => assertWithinLimit(plan, name, 1_000_000)).not.toThrow();
          continue;
        }
        expect(() => assertWithinLimit(plan, name, limit - 1)).not.toThrow();
        let refused: unknown;
        try {
          assertWithinLimit(plan, name, limit);
        } catch (error) {
          refused = error;
        }
        expect(refused).toMatchObject({
          id: "plan_limit",
          status: 402,
          details: { limit: name, allowed: limit, used: limit, plan: plan.code },
        });
        const upgradeTo = plan.upgrades.limits[name];
        expect((refused as { details: { plansUrl: string } }).details.plansUrl).toBe(
          `/pricing/${upgradeTo!.code}#limit-${name}`,
        );
      }
    }
  });

  it("make what a business holds beyond its plan read-only: reads and removals pass, changes do not", async () => {
    const [free] = await planCatalogue(t.deps.models);
    const at = { method: "POST", path: "/customers/7", used: 500 };
    expect(readOnlyLock(free!, "customers", at)).toBeNull();
    const over = { ...at, used: 501 };
    expect(readOnlyLock(free!, "customers", over)).toMatchObject({
      id: "plan_limit",
      details: {
        readOnly: true,
        used: 501,
        allowed: 500,
        plansUrl: "/pricing/silver#limit-customers",
      },
    });
    expect(readOnlyLock(free!, "customers", { ...over, method: "GET" })).toBeNull();
    expect(readOnlyLock(free!, "customers", { ...over, path: "/customers/7/delete" })).toBeNull();
    expect(readOnlyLock(free!, "customers", { ...over, method: "DELETE" })).toBeNull();
    expect(readOnlyLock(free!, "tasks", over)).toBeNull();
  });

  it("let a Free business add its 500th customer, refuse the 501st, and keep 501 readable but unchangeable", async () => {
    const { agent, business } = await ownerSignedIn(t, "free");
    const customer = await buildCustomer(t.deps.models, business, { name: "Kept Customer" });
    const fields = {
      email: "",
      phone: "",
      whatsapp: "",
      tags: "",
      birthDate: "",
      anniversary: "",
      consentAt: "",
    };
    await t.deps.models.Business.update({ customerCount: 499 }, { where: { id: business.id } });
    const last = await post(agent, "/customers/new", "/customers", {
      ...fields,
      name: "Number 500",
      phone: uniquePhone(),
    });
    expect(last.status).toBe(302);
    await t.deps.models.Business.update({ customerCount: 500 }, { where: { id: business.id } });
    const past = await post(agent, "/customers/new", "/customers", {
      ...fields,
      name: "Number 501",
      phone: uniquePhone(),
    });
    expect(past.status).toBe(402);
    expect(past.text).toContain("Your Free plan allows 500 customers");

    // The plan expired with 501 held: nothing is deleted, nothing can be changed.
    await t.deps.models.Business.update({ customerCount: 501 }, { where: { id: business.id } });
    const page = await agent.get(`/customers/${customer.id}`).expect(200);
    expect(page.text).toContain("Kept Customer");
    const edit = await post(agent, `/customers/${customer.id}/edit`, `/customers/${customer.id}`, {
      ...fields,
      name: "Renamed",
      phone: customer.phoneE164,
    });
    expect(edit.status).toBe(402);
    expect(edit.text).toContain("Nothing was deleted: they stay readable");
    expect(edit.text).toContain('href="/pricing/silver#limit-customers"');
    await customer.reload();
    expect(customer.name).toBe("Kept Customer");
    const removed = await post(
      agent,
      `/customers/${customer.id}`,
      `/customers/${customer.id}/delete`,
      {
        confirm: "yes",
      },
    );
    expect(removed.status).toBe(302);
    expect(await t.deps.models.Customer.count({ where: { id: customer.id } })).toBe(0);
  });
});
