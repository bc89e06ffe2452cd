import { testQueue } from "../../../test/support/app";
import { useTestDatabase } from "../../../test/support/database";
import { contextFor, testDeps } from "../../../test/support/deps";
import { buildBusiness, buildCustomer, buildMember, buildTask } from "../../../test/factories";
import type { JobQueue } from "../../jobs/queue";
import type { Business, User } from "../../models";
import type { Deps } from "../../deps";
import { dueRange, listTasks, tasksOfCustomer, type TaskFilter } from "./list";

const db = useTestDatabase();

/** Tuesday 24 November 2026, 22:00 in New York (already Wednesday in UTC and in India). */
const now = new Date("2026-11-25T03:00:00Z");

describe("listing tasks", () => {
  let queue: JobQueue;
  let deps: Deps;
  let business: Business;
  let owner: User;
  let seller: User;
  const ids: Record<string, number> = {};

  const titles = async (filter: Partial<TaskFilter>, as: User = owner) => {
    const ctx = await contextFor(db.current, business, as);
    const page = await listTasks(
      deps,
      ctx,
      { view: "all", status: "any", page: 1, ...filter },
      now,
    );
    return page.rows.map((task) => task.title);
  };

  beforeAll(async () => {
    queue = testQueue();
    deps = testDeps(db.current, { queue });
    const { models } = db.current;
    ({ business, owner } = await buildBusiness(models, { timeZone: "America/New_York" }));
    seller = (await buildMember(models, business, "sales")).user;
    const due = (iso: string | null) => (iso ? new Date(iso) : null);
    const rows: Array<[string, string | null, Partial<Parameters<typeof buildTask>[2]>]> = [
      ["late on Monday", "2026-11-23T20:00:00Z", { priority: "high" }],
      ["tonight", "2026-11-25T04:30:00Z", { assigneeId: seller.id, priority: "urgent" }],
      ["this morning, done", "2026-11-24T15:00:00Z", { status: "done" }],
      ["Sunday", "2026-11-29T20:00:00Z", { status: "in_progress", createdById: seller.id }],
      ["next Monday", "2026-11-30T06:00:00Z", {}],
      ["someday", null, { priority: "low" }],
      ["last week", "2026-11-22T12:00:00Z", { status: "cancelled" }],
      ["last Sunday", "2026-11-22T12:00:00Z", { assigneeId: null }],
    ];
    for (const [title, iso, extra] of rows) {
      ids[title] = (await buildTask(models, business, { title, dueAt: due(iso), ...extra })).id;
    }
  });
  afterAll(() => queue.close());

  it("orders by due time, tasks without one last; 'active' means open or in progress", async () => {
    expect(await titles({})).toEqual([
      "last week",
      "last Sunday",
      "late on Monday",
      "this morning, done",
      "tonight",
      "Sunday",
      "next Monday",
      "someday",
    ]);
    expect(await titles({ status: "active" })).toEqual([
      "last Sunday",
      "late on Monday",
      "tonight",
      "Sunday",
      "next Monday",
      "someday",
    ]);
    expect(await titles({ status: "done" })).toEqual(["this morning, done"]);
  });

  it("computes overdue, today and this week in the business's time zone", async () => {
    expect(await titles({ due: "overdue" })).toEqual(["last Sunday", "late on Monday"]);
    // 23:30 on Tuesday in New York is today there, although it is Wednesday in UTC.
    expect(await titles({ due: "today" })).toEqual(["this morning, done", "tonight"]);
    expect(await titles({ due: "week" })).toEqual([
      "late on Monday",
      "this morning, done",
      "tonight",
      "Sunday",
    ]);
    expect(dueRange("week", now, "America/New_York")).toEqual({
      from: new Date("2026-11-23T05:00:00Z"),
      to: new Date("2026-11-30T05:00:00Z"),
    });
    // The same instant is already Wednesday in India: its "today" is another day.
    expect(dueRange("today", now, "Asia/Kolkata")).toEqual({
      from: new Date("2026-11-24T18:30:00Z"),
      to: new Date("2026-11-25T18:30:00Z"),
    });
  });

  it("filters by priority, assignee and 'mine'", async () => {
    expect(await titles({ priority: "urgent" })).toEqual(["tonight"]);
    expect(await titles({ assigneeId: seller.id })).toEqual(["tonight"]);
    expect(await titles({ view: "mine" }, seller)).toEqual(["tonight"]);
    expect(await titles({ view: "mine", status: "active" })).not.toContain("tonight");
  });

  it("shows a sales member only the tasks assigned to or written by them", async () => {
    expect(await titles({}, seller)).toEqual(["tonight", "Sunday"]);
  });

  it("pages by 25 without overlap", async () => {
    const { models } = db.current;
    const { business: big, owner: bigOwner } = await buildBusiness(models);
    for (let i = 0; i < 27; i++)
      await buildTask(models, big, {
        title: `Task ${i}`,
        dueAt: new Date(Date.UTC(2026, 10, 1, i)),
      });
    const ctx = await contextFor(db.current, big, bigOwner);
    const first = await listTasks(deps, ctx, { view: "all", status: "any", page: 1 }, now);
    const second = await listTasks(deps, ctx, { view: "all", status: "any", page: 2 }, now);
    expect([first.total, first.pages, first.rows.length, second.rows.length]).toEqual([
      27, 2, 25, 2,
    ]);
    expect(second.rows.map((t) => t.title)).toEqual(["Task 25", "Task 26"]);
  });

  it("lists one customer's tasks, scoped like the list, and nothing for roles without tasks", async () => {
    const { models } = db.current;
    const customer = await buildCustomer(models, business, { name: "Meera Iyer" });
    await buildTask(models, business, { title: "Quote", customerId: customer.id });
    await buildTask(models, business, {
      title: "Visit",
      customerId: customer.id,
      assigneeId: seller.id,
      dueAt: new Date("2026-12-01T10:00:00Z"),
    });
    await buildTask(models, business, { title: "Unrelated" });
    const ownerCtx = await contextFor(db.current, business, owner);
    expect((await tasksOfCustomer(deps, ownerCtx, customer)).map((t) => t.title)).toEqual([
      "Visit",
      "Quote",
    ]);
    const sellerCtx = await contextFor(db.current, business, seller);
    expect((await tasksOfCustomer(deps, sellerCtx, customer)).map((t) => t.title)).toEqual([
      "Visit",
    ]);
    const marketer = (await buildMember(models, business, "marketing")).user;
    const marketerCtx = await contextFor(db.current, business, marketer);
    expect(await tasksOfCustomer(deps, marketerCtx, customer)).toEqual([]);
  });
});
