import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { FakeClock } from "../../lib/clock";
import {
  buildBusiness,
  buildCustomer,
  buildMember,
  buildTask,
  defaultPassword,
} from "../../../test/factories";
import type { Business, User } from "../../models";

// The app and its queue read this clock: "overdue" and "due later" never depend on today.
const clock = new FakeClock("2026-11-25T06:00:00Z");

describe("tasks API", () => {
  let t: TestApp;
  let business: Business;
  let owner: User;
  let token: string;

  const api = (method: "get" | "post" | "patch" | "delete", path: string, as = token) =>
    request(t.app)[method](`/api/v1${path}`).set("Authorization", `Bearer ${as}`);

  async function logIn(user: User): Promise<string> {
    const res = await request(t.app)
      .post("/api/v1/auth/login")
      .send({ email: user.email, password: defaultPassword })
      .expect(200);
    return res.body.data.accessToken as string;
  }

  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
    ({ business, owner } = await buildBusiness(t.deps.models, { timeZone: "Asia/Kolkata" }));
    token = await logIn(owner);
  });
  afterAll(() => t.close());

  it("creates, reads, changes and deletes a task; due times are ISO 8601 instants", async () => {
    const customer = await buildCustomer(t.deps.models, business, { name: "Meera Iyer" });
    const created = await api("post", "/tasks")
      .send({
        title: "Send the catalogue",
        priority: "high",
        dueAt: "2099-03-01T10:30:00+05:30",
        customerId: customer.id,
      })
      .expect(201);
    expect(created.body).toMatchObject({
      statusCode: 201,
      message: "Task created.",
      data: {
        title: "Send the catalogue",
        description: null,
        priority: "high",
        status: "open",
        dueAt: "2099-03-01T05:00:00.000Z",
        assigneeId: owner.id,
        assignee: { id: owner.id, name: owner.name },
        customerId: customer.id,
        customer: { id: customer.id, name: "Meera Iyer" },
        createdById: owner.id,
      },
    });
    const id = created.body.data.id as number;

    const read = await api("get", `/tasks/${id}`).expect(200);
    expect(read.body.data).toEqual(created.body.data);

    const changed = await api("patch", `/tasks/${id}`)
      .send({ status: "in_progress", dueAt: null, customerId: null, description: "Both ranges" })
      .expect(200);
    expect(changed.body.data).toMatchObject({
      status: "in_progress",
      dueAt: null,
      customerId: null,
      customer: null,
      description: "Both ranges",
    });

    await api("delete", `/tasks/${id}`).expect(200);
    const gone = await api("get", `/tasks/${id}`).expect(404);
    expect(gone.body).toMatchObject({ statusCode: 404, error: "not_found" });
  });

  it("lists with the page's filters as query parameters, 25 a page", async () => {
    const { business: shop, owner: shopOwner } = await buildBusiness(t.deps.models);
    const helper = (await buildMember(t.deps.models, shop, "support")).user;
    for (let i = 0; i < 26; i++)
      await buildTask(t.deps.models, shop, {
        title: `Routine ${i}`,
        dueAt: new Date(Date.UTC(2099, 0, 1, i)),
      });
    await buildTask(t.deps.models, shop, {
      title: "Urgent for the helper",
      assigneeId: helper.id,
      priority: "urgent",
    });
    await buildTask(t.deps.models, shop, { title: "Done one", status: "done" });
    const shopToken = await logIn(shopOwner);

    const first = await api("get", "/tasks", shopToken).expect(200);
    expect(first.body.data).toHaveLength(25);
    expect(first.body.data[0].title).toBe("Routine 0");
    const cursor = first.body.nextCursor as string;
    const second = await api("get", `/tasks?cursor=${cursor}`, shopToken).expect(200);
    expect(second.body.data.map((task: { title: string }) => task.title)).toEqual([
      "Routine 25",
      "Urgent for the helper",
    ]);
    expect(second.body.nextCursor).toBeNull();
    const filtered = await api("get", `/tasks?priority=urgent&assigneeId=${helper.id}`, shopToken);
    expect(filtered.body.data.map((task: { title: string }) => task.title)).toEqual([
      "Urgent for the helper",
    ]);
    const all = await api("get", "/tasks?status=any&due=&limit=100", shopToken).expect(200);
    expect(all.body.data).toHaveLength(28);
    await api("get", "/tasks?cursor=bm9wZQ", shopToken).expect(422);
  });

  it("answers 422 with field errors and changes nothing", async () => {
    const task = await buildTask(t.deps.models, business, { title: "Keep me" });
    const bad = await api("post", "/tasks")
      .send({ title: "", priority: "asap", dueAt: "tomorrow", assigneeId: "7", colour: "red" })
      .expect(422);
    expect(bad.body).toMatchObject({ statusCode: 422, error: "validation_failed" });
    expect(bad.body.details.fields).toMatchObject({
      title: "Enter a title.",
      priority: "Choose a priority: low, medium, high or urgent.",
      dueAt: "Send an ISO 8601 time with its zone, such as 2026-11-22T10:30:00+05:30, or null.",
      assigneeId: "Send an id (a positive whole number) or null.",
    });
    expect(bad.body.details.fields.form).toContain("colour");

    const empty = await api("patch", `/tasks/${task.id}`).send({}).expect(422);
    expect(empty.body.details.fields).toEqual({ form: "Send at least one field to change." });
    const outsider = await api("patch", `/tasks/${task.id}`)
      .send({ assigneeId: 999_999_999 })
      .expect(422);
    expect(outsider.body.details.fields).toEqual({
      assigneeId: "Choose a member of this business.",
    });
    const query = await api("get", "/tasks?view=everyone").expect(422);
    expect(query.body.details.fields).toEqual({ view: 'Choose the view "mine" or "all".' });
    expect(await t.deps.models.Task.findByPk(task.id)).toMatchObject({
      title: "Keep me",
      assigneeId: owner.id,
    });
    expect(await t.deps.models.Task.count({ where: { businessId: business.id, title: "" } })).toBe(
      0,
    );
  });

  it("needs a token, and a role that manages tasks", async () => {
    await request(t.app).get("/api/v1/tasks").expect(401);
    const marketer = (await buildMember(t.deps.models, business, "marketing")).user;
    const res = await api("get", "/tasks", await logIn(marketer)).expect(403);
    expect(res.body.error).toBe("forbidden");
  });
});
