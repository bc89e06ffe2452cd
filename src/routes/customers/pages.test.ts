import { buildTestApp, type TestApp } from "../../../test/support/app";
import { FakeClock } from "../../lib/clock";
import type { Customer } from "../../models";
import { linkWithRel, ownerSignedIn, namesOnPage } from "../../../test/support/customers";
import { postForm } from "../../../test/support/forms";
import { buildCustomer } from "../../../test/factories";

// The app reads this clock: "upcoming" birthdays never depend on today's date (29 February…).
const clock = new FakeClock("2026-11-25T06:00:00Z");

describe("customer pages", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
  });
  afterAll(() => t.close());

  it("creates a customer with an E.164 phone, tags and dates, and shows it with its timeline", async () => {
    const { business, agent } = await ownerSignedIn(t);
    const res = await postForm(agent, "/customers/new", "/customers", {
      name: "Priya Sharma",
      email: "Priya@Example.com",
      phone: "98765 43210",
      whatsapp: "",
      tags: "VIP, wholesale ,vip",
      birthDate: "1990-02-28",
      anniversary: "",
      consentAt: "2026-01-05",
    });
    expect(res.status).toBe(302);
    const stored = await t.deps.models.Customer.findOne({ where: { businessId: business.id } });
    expect(stored).toMatchObject({
      name: "Priya Sharma",
      email: "priya@example.com",
      phoneE164: "+919876543210",
      whatsappE164: "+919876543210",
      birthDate: "1990-02-28",
      birthdayMd: 228,
    });
    expect(res.headers.location).toBe(`/customers/${stored!.id}`);
    const page = await agent.get(res.headers.location!);
    expect(page.text).toContain("+91 98765 43210");
    expect(page.text).toMatch(/>vip<\/a>/);
    expect(page.text).toMatch(/>wholesale<\/a>/);
    expect(page.text).toContain("Customer created");
    await t.deps.models.Task.create({
      businessId: business.id,
      customerId: stored!.id,
      assigneeId: business.ownerId,
      createdById: business.ownerId,
      title: "Call about the Diwali order",
      description: null,
      priority: "high",
      status: "open",
      dueAt: new Date(clock.nowMs() + 86_400_000),
      remindedFor: null,
    });
    const withTask = await agent.get(res.headers.location!);
    expect(withTask.text).toMatch(/data-customer-tasks[\s\S]*Call about the Diwali order/);
    const refreshed = await t.deps.models.Business.findByPk(business.id);
    expect(refreshed!.customerCount).toBe(1);
  });

  it("reports every bad field at once and stores nothing", async () => {
    const { business, agent } = await ownerSignedIn(t);
    const res = await postForm(agent, "/customers/new", "/customers", {
      name: "",
      email: "not-an-email",
      phone: "12",
      birthDate: "2023-02-29",
    });
    expect(res.status).toBe(422);
    expect(res.text).toContain("Enter the customer&#x27;s name.");
    expect(res.text).toContain("Enter a valid e-mail address.");
    expect(res.text).toContain("Enter a valid phone number.");
    expect(res.text).toContain("Enter the date of birth as YYYY-MM-DD.");
    expect(await t.deps.models.Customer.count({ where: { businessId: business.id } })).toBe(0);
  });

  it("answers a duplicate phone with 409 and a link to the existing customer", async () => {
    const { business, agent } = await ownerSignedIn(t);
    const existing = await buildCustomer(t.deps.models, business, {
      name: "Ravi Kumar",
      phoneE164: "+919811112222",
    });
    const res = await postForm(agent, "/customers/new", "/customers", {
      name: "Someone Else",
      phone: "+91 98111 12222",
    });
    expect(res.status).toBe(409);
    expect(res.text).toContain(`href="/customers/${existing.id}"`);
    expect(res.text).toContain("Ravi Kumar");
    expect(await t.deps.models.Customer.count({ where: { businessId: business.id } })).toBe(1);
  });

  it("edits a customer, records what changed, and keeps the phone unique on edit", async () => {
    const { business, agent } = await ownerSignedIn(t);
    const customer = await buildCustomer(t.deps.models, business, {
      name: "Anil Mehta",
      tags: ["old"],
    });
    const other = await buildCustomer(t.deps.models, business, { name: "Other" });
    const edit = `/customers/${customer.id}/edit`;
    const form = {
      name: "Anil K. Mehta",
      phone: customer.phoneE164,
      tags: "new",
      email: "anil@example.com",
    };
    expect((await postForm(agent, edit, `/customers/${customer.id}`, form)).status).toBe(302);
    const page = await agent.get(`/customers/${customer.id}`);
    expect(page.text).toContain("Changed name, e-mail");
    expect(page.text).toContain("Tagged new");
    expect(page.text).toContain("Removed tags old");
    const clash = await postForm(agent, edit, `/customers/${customer.id}`, {
      ...form,
      phone: other.phoneE164,
    });
    expect(clash.status).toBe(409);
    await customer.reload();
    expect(customer.name).toBe("Anil K. Mehta");
  });

  it("finds customers by name, surname, e-mail and phone digits typed any way", async () => {
    const { business, agent } = await ownerSignedIn(t);
    await buildCustomer(t.deps.models, business, {
      name: "Priya Sharma",
      email: "priya@shop.in",
      phoneE164: "+919876543210",
    });
    await buildCustomer(t.deps.models, business, {
      name: "Rahul Verma",
      phoneE164: "+447911123456",
    });
    const search = async (q: string) =>
      namesOnPage((await agent.get(`/customers?q=${encodeURIComponent(q)}`)).text);
    expect(await search("pri")).toEqual(["Priya Sharma"]);
    expect(await search("SHAR")).toEqual(["Priya Sharma"]);
    expect(await search("priya@")).toEqual(["Priya Sharma"]);
    expect(await search("98765 43210")).toEqual(["Priya Sharma"]);
    expect(await search("098765")).toEqual(["Priya Sharma"]);
    expect(await search("+91 98765-43210")).toEqual(["Priya Sharma"]);
    expect(await search("3210")).toEqual(["Priya Sharma"]);
    expect(await search("07911 123456")).toEqual(["Rahul Verma"]);
    expect(await search("100%")).toEqual([]);
  });

  it("filters by tags (any / all), created range and upcoming birthdays", async () => {
    const { business, agent } = await ownerSignedIn(t);
    const today = clock.now();
    const soon = new Date(today.getTime() + 3 * 86_400_000).toISOString().slice(5, 10);
    const far = new Date(today.getTime() + 60 * 86_400_000).toISOString().slice(5, 10);
    await buildCustomer(t.deps.models, business, {
      name: "A Both",
      tags: ["vip", "retail"],
      birthDate: `1990-${soon}`,
    });
    await buildCustomer(t.deps.models, business, {
      name: "B Vip",
      tags: ["vip"],
      anniversary: `2015-${far}`,
    });
    await buildCustomer(t.deps.models, business, { name: "C Retail", tags: ["retail"] });
    const names = async (query: string) =>
      namesOnPage((await agent.get(`/customers?${query}`)).text);
    expect(await names("tags=vip,retail&tagMode=any")).toEqual(["A Both", "B Vip", "C Retail"]);
    expect(await names("tags=vip,retail&tagMode=all")).toEqual(["A Both"]);
    expect(await names("tags=unknown")).toEqual([]);
    expect(await names("upcomingDays=7")).toEqual(["A Both"]);
    expect(await names("upcomingDays=90")).toEqual(["A Both", "B Vip"]);
    // Rows are stamped when written: the range is read from the newest stamp, not from today.
    const newest = await t.deps.models.Customer.max<Date, Customer>("createdAt", {
      where: { businessId: business.id },
    });
    const after = new Date(new Date(newest).getTime() + 2 * 86_400_000).toISOString().slice(0, 10);
    expect(await names(`createdFrom=${after}`)).toEqual([]);
    expect(await names(`createdTo=${after}`)).toHaveLength(3);
    const bad = await agent.get("/customers?createdFrom=yesterday");
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Enter the from date as YYYY-MM-DD.");
  });

  it("pages through customers by keyset, forwards and back, in every sort", async () => {
    const { business, agent } = await ownerSignedIn(t);
    const names = Array.from({ length: 23 }, (_, i) => `Person ${String(i).padStart(2, "0")}`);
    for (const name of names) await buildCustomer(t.deps.models, business, { name });
    const first = await agent.get("/customers?size=10");
    expect(namesOnPage(first.text)).toEqual(names.slice(0, 10));
    expect(first.text).toContain("23 customers");
    const next = linkWithRel(first.text, "next")!;
    const second = await agent.get(next);
    expect(namesOnPage(second.text)).toEqual(names.slice(10, 20));
    const third = await agent.get(linkWithRel(second.text, "next")!);
    expect(namesOnPage(third.text)).toEqual(names.slice(20));
    expect(third.text).not.toContain('rel="next"');
    const back = await agent.get(linkWithRel(third.text, "prev")!);
    expect(namesOnPage(back.text)).toEqual(names.slice(10, 20));
    const reversed = await agent.get("/customers?size=10&sort=-name");
    expect(namesOnPage(reversed.text)).toEqual([...names].reverse().slice(0, 10));
  });
});
