import { randomUUID } from "node:crypto";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn, type Agent } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import { apiAs } from "../../../test/support/api";
import { buildBusiness, buildMember, buildUser } from "../../../test/factories";
import { buildForm } from "../../../test/factoriesForms";
import { parseFields } from "../../commands/forms/fields";
import { FakeClock } from "../../lib/clock";
import type { Business, Form } from "../../models";

const clock = new FakeClock("2026-12-01T06:00:00Z");

describe("form builder pages and API", () => {
  let t: TestApp;
  let business: Business;
  let agent: Agent;

  const keysOf = async (form: Form) => parseFields((await form.reload()).fields).map((f) => f.key);
  const post = async (path: string, body: Record<string, unknown>, from = path) => {
    const page = await agent.get(from);
    return agent
      .post(path)
      .type("form")
      .send({ _csrf: csrfFrom(page), ...body });
  };

  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
    ({ business, agent } = await ownerSignedIn(t, "enterprise"));
  });
  afterAll(() => t.close());

  it("says what to do on an empty list, and shows Forms in the menu", async () => {
    const list = await agent.get("/forms").expect(200);
    expect(list.text).toContain('href="/forms"');
    expect(list.text).toContain("No forms yet. Create one below");
  });

  it("creates a draft with starter fields, keeps values on a bad new form, and lists counts", async () => {
    const bad = await post("/forms", { title: "", kind: "lead" }, "/forms");
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Enter the form&#x27;s title.");
    const created = await post("/forms", { title: "Book a demo", kind: "lead" }, "/forms");
    expect(created.status).toBe(302);
    const form = await t.deps.models.Form.findOne({ where: { businessId: business.id } });
    expect(form).toMatchObject({ title: "Book a demo", status: "draft", kind: "lead" });
    expect(created.headers.location).toBe(`/forms/${form?.id}`);
    expect(form?.slug).toMatch(/^book-a-demo-[0-9a-f]{6}$/);
    const builder = await agent.get(`/forms/${form?.id}`).expect(200);
    expect(builder.text).toContain("Your name");
    expect(builder.text).toContain("&lt;iframe src&#x3D;&quot;");
    expect(builder.text).toContain("/vendor/sortable/Sortable.min.js");
    const list = await agent.get("/forms").expect(200);
    expect(list.text).toContain("Book a demo");
    expect(list.text).toContain("Draft");
  });

  it("adds, edits, moves (buttons and drag order), removes fields; refuses bad fields with every error", async () => {
    const form = await buildForm(t.deps.models, business, { status: "draft" });
    const path = `/forms/${form.id}`;
    const bad = await post(
      `${path}/fields`,
      { type: "dropdown", label: "", options: "Only one" },
      path,
    );
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Enter the field&#x27;s label.");
    expect(bad.text).toContain("List at least two choices, one per line.");
    expect(bad.text).toContain("Only one</textarea>");
    expect(await keysOf(form)).toEqual(["f1", "f2", "f3", "f4", "f5"]);

    const added = await post(
      `${path}/fields`,
      { type: "radio", label: "Team size", options: "1-10\n11-50\n51+", required: "on" },
      path,
    );
    expect(added.status).toBe(302);
    const fields = parseFields((await form.reload()).fields);
    expect(fields.at(-1)).toMatchObject({
      key: "f6",
      type: "radio",
      label: "Team size",
      required: true,
      options: ["1-10", "11-50", "51+"],
    });
    await post(
      `${path}/fields/f6`,
      { type: "text", label: "Company", target: "company" },
      `${path}/fields/f6/edit`,
    ).then((r) => expect(r.status).toBe(302));
    expect(parseFields((await form.reload()).fields).at(-1)).toMatchObject({
      key: "f6",
      type: "text",
      label: "Company",
      target: "company",
      options: [],
    });

    expect((await post(`${path}/fields/f6/move`, { direction: "up" }, path)).status).toBe(302);
    expect(await keysOf(form)).toEqual(["f1", "f2", "f3", "f4", "f6", "f5"]);
    // The first field cannot go further up: nothing changes.
    await post(`${path}/fields/f1/move`, { direction: "up" }, path);
    expect(await keysOf(form)).toEqual(["f1", "f2", "f3", "f4", "f6", "f5"]);
    // The drag and drop's order: every key once, else a clear refusal that changes nothing.
    const order = "f6,f1,f2,f3,f4,f5";
    expect((await post(`${path}/fields/order`, { order }, path)).status).toBe(302);
    expect(await keysOf(form)).toEqual(["f6", "f1", "f2", "f3", "f4", "f5"]);
    const stale = await post(`${path}/fields/order`, { order: "f1,f2" }, path);
    expect(stale.status).toBe(302);
    const after = await agent.get(path);
    expect(after.text).toContain("The fields changed since this page was opened");
    expect(await keysOf(form)).toEqual(["f6", "f1", "f2", "f3", "f4", "f5"]);

    const confirm = await agent.get(`${path}/fields/f6/delete`).expect(200);
    expect(confirm.text).toContain("Remove Company from");
    await post(`${path}/fields/f6/delete`, {}, `${path}/fields/f6/delete`);
    expect(await keysOf(form)).toEqual(["f1", "f2", "f3", "f4", "f5"]);
    await agent.get(`${path}/fields/f99/edit`).expect(404);
  });

  it("saves settings, refuses a taken address and a bad colour with the values kept, publishes", async () => {
    const other = await buildForm(t.deps.models, business);
    const form = await buildForm(t.deps.models, business, { status: "draft" });
    // Addresses are unique across businesses (and test runs on one database).
    const newSlug = `webinar-${randomUUID().slice(0, 8)}`;
    const path = `/forms/${form.id}`;
    const settings = {
      title: "Webinar sign-up",
      description: "",
      successMessage: "See you there!",
      redirectUrl: "ftp://nope",
      color: "red",
      slug: other.slug,
      source: "",
      campaignName: "Webinar Series Q2",
      assignment: "member",
      assigneeId: "",
    };
    const bad = await post(path, settings, path);
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Enter a full address starting with https://");
    expect(bad.text).toContain("Choose a colour such as #0d6efd.");
    expect(bad.text).toContain("Choose the member who gets this form&#x27;s leads.");
    expect(bad.text).toContain('value="Webinar Series Q2"');
    const taken = await post(
      path,
      { ...settings, redirectUrl: "", color: "#198754", assignment: "none" },
      path,
    );
    expect(taken.status).toBe(409);
    expect(taken.text).toContain("Another form already has this address.");
    await form.reload();
    expect(form.title).toBe("Book a free demo");

    const saved = await post(
      path,
      {
        ...settings,
        redirectUrl: "",
        color: "#198754",
        assignment: "round_robin",
        slug: newSlug,
      },
      path,
    );
    expect(saved.status).toBe(302);
    await form.reload();
    expect(form).toMatchObject({
      title: "Webinar sign-up",
      color: "#198754",
      slug: newSlug,
      source: "Web form",
      assignment: "round_robin",
    });
    expect((await post(`${path}/status`, { status: "published" }, path)).status).toBe(302);
    await form.reload();
    expect(form.status).toBe("published");
    const theme = await agent.get(`/f/${newSlug}/theme.css`).expect(200);
    expect(theme.text).toContain("#198754");
  });

  it("refuses to publish a lead form nobody could be reached through", async () => {
    const form = await buildForm(t.deps.models, business, {
      status: "draft",
      fields: [
        {
          key: "f1",
          type: "text",
          label: "Name",
          helpText: null,
          required: true,
          options: [],
          target: "fullName",
        },
      ],
    });
    await post(`/forms/${form.id}/status`, { status: "published" }, `/forms/${form.id}`);
    const page = await agent.get(`/forms/${form.id}`);
    expect(page.text).toContain("Add an e-mail or phone field before publishing");
    expect((await form.reload()).status).toBe("draft");
  });

  it("lists submissions, exports them as CSV with formulas neutralised, and deletes after confirmation", async () => {
    const form = await buildForm(t.deps.models, business);
    await t.deps.models.FormSubmission.create({
      businessId: business.id,
      formId: form.id,
      outcome: "created_lead",
      leadId: null,
      customerId: null,
      ticketId: null,
      answers: JSON.stringify({ f1: "=HYPERLINK(1)", f2: "asha@example.test", f5: true }),
      utmSource: "google",
      utmMedium: "cpc",
      utmCampaign: null,
      utmTerm: null,
      utmContent: null,
      referrer: null,
      landingPage: null,
      createdAt: clock.now(),
    });
    await form.increment("submissionCount");
    const list = await agent.get(`/forms/${form.id}/submissions`).expect(200);
    expect(list.text).toContain("asha@example.test");
    expect(list.text).toContain("google / cpc");
    const csv = await agent.get(`/forms/${form.id}/submissions.csv`).expect(200);
    expect(csv.headers["content-type"]).toContain("text/csv");
    const [header, row] = csv.text.trim().split("\r\n");
    expect(header).toContain("submitted_at,outcome");
    expect(header).toContain("Your name,E-mail");
    expect(row).toContain("'=HYPERLINK(1)");
    expect(row).toContain(",Yes");

    const confirm = await agent.get(`/forms/${form.id}/delete`).expect(200);
    expect(confirm.text).toContain("1 submission(s) are deleted");
    await post(`/forms/${form.id}/delete`, {}, `/forms/${form.id}/delete`);
    expect(await t.deps.models.Form.findByPk(form.id)).toBeNull();
    expect(await t.deps.models.FormSubmission.count({ where: { formId: form.id } })).toBe(0);
  });

  it("keeps forms to their business and role: 404 in another, 403 for sales, plan gate", async () => {
    const { business: elsewhere } = await buildBusiness(t.deps.models);
    const foreign = await buildForm(t.deps.models, elsewhere);
    await agent.get(`/forms/${foreign.id}`).expect(404);
    await agent.get(`/forms/${foreign.id}/submissions.csv`).expect(404);
    const { user: seller } = await buildMember(t.deps.models, business, "sales");
    const sales = await signedIn(t, seller.email);
    await sales.get("/forms").expect(403);
    const free = await ownerSignedIn(t, "free");
    await free.agent.get("/forms").expect(402);
  });

  it("serves forms and submissions through the API with cursor paging", async () => {
    const apiOwner = await buildUser(t.deps.models, { planCode: "enterprise" });
    const { business: apiBusiness } = await buildBusiness(t.deps.models, { owner: apiOwner });
    const forms = [];
    for (let i = 0; i < 3; i += 1) forms.push(await buildForm(t.deps.models, apiBusiness));
    const call = await apiAs(t, apiOwner, apiBusiness);
    const first = await call("get", "/forms?limit=2").expect(200);
    expect(first.body.data.map((f: { id: number }) => f.id)).toEqual([forms[2]?.id, forms[1]?.id]);
    expect(first.body.data[0]).toMatchObject({ status: "published", submissionCount: 0 });
    const second = await call("get", `/forms?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body.data.map((f: { id: number }) => f.id)).toEqual([forms[0]?.id]);
    expect(second.body.nextCursor).toBeNull();
    const one = await call("get", `/forms/${forms[0]?.id}`).expect(200);
    expect(one.body.data.publicPath).toBe(`/f/${forms[0]?.slug}`);
    expect(one.body.data.fields).toHaveLength(5);
    const subs = await call("get", `/forms/${forms[0]?.id}/submissions`).expect(200);
    expect(subs.body).toMatchObject({ data: [], nextCursor: null });
    await call("get", `/forms/${foreignId(forms[0]?.id)}`).expect(404);
  });
});

/** An id no business of the test has. */
const foreignId = (id: number | undefined) => (id ?? 0) + 1_000_000;
