import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { FakeClock } from "../../lib/clock";
import { csrfFrom, signIn } from "../../../test/support/forms";
import {
  buildBusiness,
  buildCustomer,
  buildMember,
  buildTask,
  defaultPassword,
} from "../../../test/factories";
import type { Business, User } from "../../models";

type Agent = ReturnType<typeof request.agent>;

// The app and its queue read this clock: "overdue" and "due later" never depend on today.
const clock = new FakeClock("2026-11-25T06:00:00Z");

describe("task pages", () => {
  let t: TestApp;
  let business: Business;
  let owner: User;
  let agent: Agent;

  async function signedIn(user: User): Promise<Agent> {
    const browser = request.agent(t.app);
    await signIn(browser, user.email, defaultPassword);
    return browser;
  }

  const tasksOf = (businessId: number) =>
    t.deps.models.Task.findAll({ where: { businessId }, order: [["id", "ASC"]] });

  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
    ({ business, owner } = await buildBusiness(t.deps.models, { timeZone: "Asia/Kolkata" }));
    agent = await signedIn(owner);
  });
  afterAll(() => t.close());

  it("creates a task from the form, with the due time read in the business's time zone", async () => {
    const list = await agent.get("/tasks").expect(200);
    expect(list.text).toContain('href="/tasks"'); // the sidebar entry
    expect(list.text).toContain("No tasks match these filters.");

    const form = await agent.get("/tasks/new").expect(200);
    expect(form.text).toContain('type="datetime-local"');
    expect(form.text).toContain("Asia/Kolkata");
    const res = await agent
      .post("/tasks")
      .type("form")
      .send({
        _csrf: csrfFrom(form),
        title: "Send the price list",
        description: "PDF, both ranges",
        priority: "high",
        status: "open",
        dueAt: "2099-11-25T10:30",
        assigneeId: String(owner.id),
        customerId: "",
      });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/tasks");

    const [task] = await tasksOf(business.id);
    expect(task).toMatchObject({
      title: "Send the price list",
      description: "PDF, both ranges",
      priority: "high",
      status: "open",
      assigneeId: owner.id,
      customerId: null,
    });
    expect(task?.dueAt?.toISOString()).toBe("2099-11-25T05:00:00.000Z");
    const page = await agent.get("/tasks").expect(200);
    expect(page.text).toContain("Task “Send the price list” created.");
    expect(page.text).toContain("Send the price list");
    expect(page.text).toContain('<span class="badge text-bg-warning">High</span>');
    expect(page.text).toContain("25 Nov 2099, 10:30");
  });

  it("shows every problem beside its field and saves nothing", async () => {
    const before = (await tasksOf(business.id)).length;
    const form = await agent.get("/tasks/new");
    const res = await agent
      .post("/tasks")
      .type("form")
      .send({
        _csrf: csrfFrom(form),
        title: "   ",
        priority: "whenever",
        status: "open",
        dueAt: "2026-02-30T10:00",
        assigneeId: "999999999",
        returnTo: "javascript:alert(1)",
      });
    expect(res.status).toBe(422);
    expect(res.text).not.toContain("javascript:");
    expect(res.text).toContain("Enter a title.");
    expect(res.text).toContain("Choose a priority: low, medium, high or urgent.");
    expect(res.text).toContain("Enter a date and time, such as 2026-11-22 10:30.");
    const stranger = await agent
      .post("/tasks")
      .type("form")
      .send({
        _csrf: csrfFrom(form),
        title: "Valid title",
        priority: "low",
        assigneeId: "999999999",
      });
    expect(stranger.status).toBe(422);
    expect(stranger.text).toContain("Choose a member of this business.");
    expect((await tasksOf(business.id)).length).toBe(before);
  });

  it("pre-links a customer from ?customerId= and goes back to a local returnTo only", async () => {
    const customer = await buildCustomer(t.deps.models, business, { name: "Meera Iyer" });
    const form = await agent
      .get(
        `/tasks/new?customerId=${customer.id}&returnTo=${encodeURIComponent(`/customers/${customer.id}`)}`,
      )
      .expect(200);
    expect(form.text).toContain(`<option value="${customer.id}" selected>Meera Iyer</option>`);
    expect(form.text).toContain(`name="returnTo" value="/customers/${customer.id}"`);
    const saved = await agent
      .post("/tasks")
      .type("form")
      .send({
        _csrf: csrfFrom(form),
        title: "Visit Meera",
        priority: "medium",
        customerId: String(customer.id),
        returnTo: `/customers/${customer.id}`,
      });
    expect(saved.headers.location).toBe(`/customers/${customer.id}`);
    const task = (await tasksOf(business.id)).find((row) => row.title === "Visit Meera");
    expect(task?.customerId).toBe(customer.id);

    const offsite = await agent
      .post("/tasks")
      .type("form")
      .send({
        _csrf: csrfFrom(form),
        title: "Not leaving",
        priority: "medium",
        returnTo: "//evil.example/steal",
      });
    expect(offsite.headers.location).toBe("/tasks");
    const { business: other } = await buildBusiness(t.deps.models);
    const foreign = await buildCustomer(t.deps.models, other);
    expect((await agent.get(`/tasks/new?customerId=${foreign.id}`)).status).toBe(404);
  });

  it("edits a task, changes its status from the list and deletes it after confirmation", async () => {
    const task = await buildTask(t.deps.models, business, {
      title: "Draft the offer",
      dueAt: new Date("2099-01-10T04:30:00Z"),
    });
    const edit = await agent.get(`/tasks/${task.id}`).expect(200);
    expect(edit.text).toContain('value="2099-01-10T10:00"');
    const saved = await agent
      .post(`/tasks/${task.id}`)
      .type("form")
      .send({
        _csrf: csrfFrom(edit),
        title: "Draft the final offer",
        priority: "urgent",
        status: "in_progress",
        dueAt: "2099-01-11T09:15",
        assigneeId: "",
      });
    expect(saved.headers.location).toBe("/tasks");
    expect(await t.deps.models.Task.findByPk(task.id)).toMatchObject({
      title: "Draft the final offer",
      priority: "urgent",
      status: "in_progress",
      assigneeId: null,
    });

    const list = await agent.get("/tasks?status=any").expect(200);
    expect(list.text).toContain(`action="/tasks/${task.id}/status"`);
    const done = await agent
      .post(`/tasks/${task.id}/status`)
      .type("form")
      .send({
        _csrf: csrfFrom(list),
        status: "done",
        returnTo: "/tasks?status=any",
      });
    expect(done.headers.location).toBe("/tasks?status=any");
    expect((await t.deps.models.Task.findByPk(task.id))?.status).toBe("done");
    const bad = await agent
      .post(`/tasks/${task.id}/status`)
      .type("form")
      .send({ _csrf: csrfFrom(list), status: "finished" });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Choose a status: open, in_progress, done or cancelled.");
    expect((await t.deps.models.Task.findByPk(task.id))?.status).toBe("done");

    const confirm = await agent.get(`/tasks/${task.id}/delete`).expect(200);
    expect(confirm.text).toContain("This cannot be undone.");
    expect(await t.deps.models.Task.findByPk(task.id)).not.toBeNull();
    const deleted = await agent
      .post(`/tasks/${task.id}/delete`)
      .type("form")
      .send({ _csrf: csrfFrom(confirm) });
    expect(deleted.headers.location).toBe("/tasks");
    expect(await t.deps.models.Task.findByPk(task.id)).toBeNull();
  });

  it("filters with a plain GET form, highlights overdue tasks and explains a bad filter", async () => {
    const { business: shop, owner: shopOwner } = await buildBusiness(t.deps.models);
    await buildTask(t.deps.models, shop, {
      title: "Chase payment",
      dueAt: new Date(clock.nowMs() - 3_600_000),
    });
    await buildTask(t.deps.models, shop, {
      title: "Plan the sale",
      dueAt: new Date(clock.nowMs() + 30 * 86_400_000),
    });
    const browser = await signedIn(shopOwner);

    const overdue = await browser.get(
      "/tasks?view=all&status=active&priority=&assigneeId=&due=overdue",
    );
    expect(overdue.status).toBe(200);
    expect(overdue.text).toContain("Chase payment");
    expect(overdue.text).not.toContain("Plan the sale");
    expect(overdue.text).toContain('class="table-danger"');
    expect(overdue.text).toContain('<span class="badge text-bg-danger">Overdue</span>');
    expect(overdue.text).toContain('<option value="overdue" selected>Overdue</option>');

    const bad = await browser.get("/tasks?due=soon&page=0");
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Choose a due filter: overdue, today or week.");
    expect(bad.text).toContain("Choose a page number from 1.");
  });

  it("lets sales see and assign only their own tasks; marketing has no task pages", async () => {
    const seller = (await buildMember(t.deps.models, business, "sales")).user;
    await buildTask(t.deps.models, business, {
      title: "Call for the seller",
      assigneeId: seller.id,
    });
    const browser = await signedIn(seller);
    const list = await browser.get("/tasks").expect(200);
    expect(list.text).toContain("Call for the seller");
    expect(list.text).not.toContain("Send the price list");
    const form = await browser.get("/tasks/new").expect(200);
    expect(form.text).not.toContain("Unassigned");
    expect(form.text).not.toContain(`<option value="${owner.id}"`);

    const marketer = (await buildMember(t.deps.models, business, "marketing")).user;
    const outsider = await signedIn(marketer);
    expect((await outsider.get("/tasks")).status).toBe(403);
    expect((await outsider.get("/")).text).not.toContain('href="/tasks"');
  });
});
