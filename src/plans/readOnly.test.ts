import request from "supertest";
import { buildTestApp, type TestApp } from "../../test/support/app";
import { csrfFrom, signIn } from "../../test/support/forms";
import type { Agent } from "../../test/support/customers";
import { buildBusiness, buildMember, buildUser, defaultPassword } from "../../test/factories";
import { buildForm } from "../../test/factoriesForms";
import type { Business } from "../models";
import { planByCode } from "./plans";
import { readOnlyLockFor } from "./readOnly";

/**
 * Issue 13 item 1: after a downgrade or an expiry, what an account holds beyond each limit of its
 * plan — businesses, team seats, forms (customers: limits.test.ts) — is kept and readable, and
 * changing it is refused (402 plan_limit, readOnly) with the way out: upgrade or remove some.
 */
describe("read-only beyond the plan's limits", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  const write = { method: "POST", path: "/tasks" };
  const within = { businessRank: 0, seatRank: 0, held: {} };

  it("locks at one past each limit, not at the limit, and never reads or removals", async () => {
    const free = await planByCode(t.deps.models, "free");
    // Free: 1 business, 2 seats.
    expect(readOnlyLockFor(free, "tasks", write, within)).toBeNull();
    expect(readOnlyLockFor(free, "tasks", write, { ...within, seatRank: 1 })).toBeNull();
    expect(readOnlyLockFor(free, "tasks", write, { ...within, seatRank: 2 })).toMatchObject({
      id: "plan_limit",
      status: 402,
      details: { limit: "teamSeats", allowed: 2, used: 3, readOnly: true },
    });
    expect(readOnlyLockFor(free, "tasks", write, { ...within, businessRank: 1 })).toMatchObject({
      details: {
        limit: "businesses",
        allowed: 1,
        used: 2,
        plansUrl: "/pricing/silver#limit-businesses",
      },
    });
    const over = { ...within, businessRank: 1, seatRank: 5 };
    expect(readOnlyLockFor(free, "tasks", { ...write, method: "GET" }, over)).toBeNull();
    expect(readOnlyLockFor(free, "tasks", { ...write, method: "DELETE" }, over)).toBeNull();
    expect(readOnlyLockFor(free, "tasks", { ...write, path: "/tasks/3/delete" }, over)).toBeNull();

    const gold = await planByCode(t.deps.models, "gold");
    const forms = { method: "POST", path: "/forms/3" };
    expect(readOnlyLockFor(gold, "forms", forms, { ...within, held: { forms: 20 } })).toBeNull();
    expect(readOnlyLockFor(gold, "forms", forms, { ...within, held: { forms: 21 } })).toMatchObject(
      { details: { limit: "forms", allowed: 20, used: 21, readOnly: true } },
    );
    const enterprise = await planByCode(t.deps.models, "enterprise");
    const huge = { businessRank: 99, seatRank: 99, held: { forms: 999, customers: 10 ** 7 } };
    expect(readOnlyLockFor(enterprise, "forms", forms, huge)).toBeNull();
  });

  async function postForm(agent: Agent, page: string, path: string, body = {}) {
    const csrf = csrfFrom(await agent.get(page).expect(200));
    return agent
      .post(path)
      .type("form")
      .send({ _csrf: csrf, ...body });
  }

  const task = { title: "Call back", priority: "medium", status: "open", dueAt: "" };

  it("keeps the account's first business writable and makes a later one read-only", async () => {
    const owner = await buildUser(t.deps.models, { planCode: "free" });
    const first = (await buildBusiness(t.deps.models, { owner })).business;
    const second = (await buildBusiness(t.deps.models, { owner })).business;
    const agent = request.agent(t.app);
    await signIn(agent, owner.email, defaultPassword);
    const switchTo = async (business: Business) => {
      const csrf = csrfFrom(await agent.get("/businesses").expect(200));
      await agent.post(`/businesses/${business.id}/switch`).type("form").send({ _csrf: csrf });
    };

    await switchTo(second);
    const refused = await postForm(agent, "/tasks/new", "/tasks", task);
    expect(refused.status).toBe(402);
    expect(refused.text).toContain("This account holds 2 businesses; the Free plan allows 1.");
    expect(refused.text).toContain("Nothing was deleted");
    expect(refused.text).toContain('href="/pricing/silver#limit-businesses"');
    expect(await t.deps.models.Task.count({ where: { businessId: second.id } })).toBe(0);
    await agent.get("/tasks").expect(200); // reads pass
    const home = await agent.get("/").expect(200);
    expect(home.text).toContain('data-over-limit="businesses"');
    expect(home.text).toContain('href="/billing">Upgrade or review usage on Billing');

    await switchTo(first);
    const allowed = await postForm(agent, "/tasks/new", "/tasks", task);
    expect(allowed.status).toBe(302);
    expect(await t.deps.models.Task.count({ where: { businessId: first.id } })).toBe(1);
    expect((await agent.get("/").expect(200)).text).not.toContain("data-over-limit");
  });

  it("lets the owner and the first members up to the seats work and keeps later members read-only", async () => {
    const owner = await buildUser(t.deps.models, { planCode: "free" });
    const { business } = await buildBusiness(t.deps.models, { owner });
    const early = await buildMember(t.deps.models, business, "manager");
    const late = await buildMember(t.deps.models, business, "manager");

    const lateAgent = request.agent(t.app);
    await signIn(lateAgent, late.user.email, defaultPassword);
    const refused = await postForm(lateAgent, "/tasks/new", "/tasks", task);
    expect(refused.status).toBe(402);
    expect(refused.text).toContain("holds 3 team members; the Free plan allows 2.");
    expect(refused.text).toContain("Your seat is beyond the first 2");
    const lateHome = await lateAgent.get("/").expect(200);
    expect(lateHome.text).toContain('data-over-limit="teamSeats"');
    expect(lateHome.text).toContain("The business's owner can upgrade or remove some.");

    const earlyAgent = request.agent(t.app);
    await signIn(earlyAgent, early.user.email, defaultPassword);
    expect((await postForm(earlyAgent, "/tasks/new", "/tasks", task)).status).toBe(302);
    const ownerAgent = request.agent(t.app);
    await signIn(ownerAgent, owner.email, defaultPassword);
    expect((await postForm(ownerAgent, "/tasks/new", "/tasks", task)).status).toBe(302);
    expect(await t.deps.models.Task.count({ where: { businessId: business.id } })).toBe(2);
  });

  it("keeps 21 forms of a Gold business readable, refuses changes, and lets the owner delete down to 20", async () => {
    const owner = await buildUser(t.deps.models, { planCode: "gold" });
    const { business } = await buildBusiness(t.deps.models, { owner });
    const forms = [];
    for (let i = 0; i < 21; i += 1) forms.push(await buildForm(t.deps.models, business));
    const agent = request.agent(t.app);
    await signIn(agent, owner.email, defaultPassword);
    const form = forms[0]!;

    const refused = await postForm(agent, `/forms/${form.id}`, `/forms/${form.id}`, {
      title: "Renamed",
    });
    expect(refused.status).toBe(402);
    expect(refused.text).toContain("holds 21 forms; the Gold plan allows 20.");
    expect(refused.text).toContain('href="/pricing/enterprise#limit-forms"');
    await form.reload();
    expect(form.title).toBe("Book a free demo");

    const removed = await postForm(agent, `/forms/${form.id}`, `/forms/${form.id}/delete`);
    expect(removed.status).toBe(302);
    expect(await t.deps.models.Form.count({ where: { businessId: business.id } })).toBe(20);
    const second = forms[1]!;
    const allowed = await postForm(agent, `/forms/${second.id}`, `/forms/${second.id}`, {
      title: "Renamed",
    });
    expect(allowed.status).not.toBe(402);
  });
});
