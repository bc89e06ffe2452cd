import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { buildBusiness, buildCustomer, buildMember, buildUser } from "../../../test/factories";
import { buildForm, followedUp, formTokenFrom } from "../../../test/factoriesForms";
import { buildLead } from "../../../test/factoriesLeads";
import { FakeClock } from "../../lib/clock";
import type { Business, Form, User } from "../../models";

const clock = new FakeClock("2026-12-01T06:00:00Z");

describe("public form pages (/f/<slug>), no JavaScript, plain POST", () => {
  let t: TestApp;
  let business: Business;
  let owner: User;

  beforeAll(async () => {
    t = await buildTestApp({ FORMS_SUBMISSIONS_PER_IP_PER_MINUTE: "1000" }, { clock });
    owner = await buildUser(t.deps.models, { name: "Owner Person", planCode: "enterprise" });
    ({ business } = await buildBusiness(t.deps.models, { owner }));
  });
  afterAll(() => t.close());

  /** Opens the page as a visitor, waits like a person, and sends `answers`. */
  async function fill(form: Form, answers: Record<string, string | string[]>, query = "") {
    const page = await request(t.app).get(`/f/${form.slug}${query}`).expect(200);
    await clock.advance(5000);
    const hidden = Object.fromEntries(
      [
        ...page.text.matchAll(
          /<input type="hidden" name="(utm_\w+|referrer|landing_page)" value="([^"]*)">/g,
        ),
      ].map((m) => [m[1], m[2]?.replace(/&amp;/g, "&").replace(/&#x3D;/g, "=")]),
    );
    const res = await request(t.app)
      .post(`/f/${form.slug}`)
      .type("form")
      .send({ _form_token: formTokenFrom(page.text), company_website: "", ...hidden, ...answers });
    // The owner, score, timeline, counter and notification come from the follow-up job.
    await followedUp(t.deps, form.id);
    return res;
  }

  const leadsOf = () =>
    t.deps.models.Lead.findAll({ where: { businessId: business.id }, order: [["id", "ASC"]] });

  it("renders a published form for phones and iframes, with hidden UTM fields and no script", async () => {
    const form = await buildForm(t.deps.models, business);
    const res = await request(t.app)
      .get(`/f/${form.slug}?utm_source=google&utm_medium=cpc&utm_campaign=launch`)
      .set("Referer", "https://partner.example.com/blog")
      .expect(200);
    expect(res.text).toContain("Book a free demo");
    expect(res.text).toContain('name="utm_source" value="google"');
    expect(res.text).toContain('name="referrer" value="https://partner.example.com/blog"');
    expect(res.text).toContain('name="viewport" content="width=device-width, initial-scale=1"');
    expect(res.text).not.toContain("<script");
    expect(res.headers["content-security-policy"]).toContain("frame-ancestors *");
    expect(res.headers["x-frame-options"]).toBeUndefined();
    // Only /f/ pages may be framed.
    const login = await request(t.app).get("/login").expect(200);
    expect(login.headers["content-security-policy"]).toContain("frame-ancestors 'self'");
    expect(login.headers["x-frame-options"]).toBe("SAMEORIGIN");
    const theme = await request(t.app).get(`/f/${form.slug}/theme.css`).expect(200);
    expect(theme.text).toContain("--form-accent:#0d6efd");
  });

  it("says a draft or unknown form is not open (404)", async () => {
    const draft = await buildForm(t.deps.models, business, { status: "draft" });
    const res = await request(t.app).get(`/f/${draft.slug}`).expect(404);
    expect(res.text).toContain("This form is not open");
    await request(t.app).get("/f/no-such-form").expect(404);
  });

  it("creates a lead with source, campaign, UTM, referrer, landing page and answers; notifies the owner", async () => {
    const form = await buildForm(t.deps.models, business, { source: "Website form" });
    const res = await fill(
      form,
      {
        f1: "Priya Menon",
        f2: "Priya.Menon@FinEdge.co",
        f3: "98220 77551",
        f4: "Need a demo",
        f5: "on",
      },
      "?utm_source=newsletter&utm_medium=email&utm_campaign=webinar-q2&utm_term=crm&utm_content=hero",
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain("Thanks! We will call you soon.");
    const [lead] = await leadsOf();
    expect(lead).toMatchObject({
      firstName: "Priya",
      lastName: "Menon",
      email: "priya.menon@finedge.co",
      phoneE164: "+919822077551",
      source: "Website form",
      campaignName: "Launch Sprint 2025",
      utmSource: "newsletter",
      utmMedium: "email",
      utmCampaign: "webinar-q2",
      utmTerm: "crm",
      utmContent: "hero",
      ownerId: null,
    });
    expect(lead?.landingPage).toContain(`/f/${form.slug}?utm_source=newsletter`);
    expect(lead?.consentEmailAt).not.toBeNull();
    expect(JSON.parse(lead?.answers ?? "{}")).toMatchObject({ f4: "Need a demo", f5: true });
    const submissions = await t.deps.models.FormSubmission.findAll({ where: { formId: form.id } });
    expect(submissions).toHaveLength(1);
    expect(submissions[0]).toMatchObject({ outcome: "created_lead", leadId: lead?.id });
    await form.reload();
    expect(form.submissionCount).toBe(1);
    const notes = await t.deps.models.Notification.findAll({ where: { userId: owner.id } });
    expect(notes.map((n) => n.title)).toContain("New lead from Book a free demo: Priya Menon");
  });

  it("gives the lead to the form's member and notifies them", async () => {
    const { user: seller } = await buildMember(t.deps.models, business, "sales");
    const form = await buildForm(t.deps.models, business, {
      assignment: "member",
      assigneeId: seller.id,
    });
    expect((await fill(form, { f1: "Mohan Rao", f2: "mohan.rao@buildsmart.in" })).status).toBe(200);
    const lead = await t.deps.models.Lead.findOne({
      where: { businessId: business.id, email: "mohan.rao@buildsmart.in" },
    });
    expect(lead?.ownerId).toBe(seller.id);
    const notes = await t.deps.models.Notification.findAll({ where: { userId: seller.id } });
    expect(notes).toHaveLength(1);
    expect(notes[0]?.link).toBe(`/leads/${lead?.id}`);
  });

  it("comes back with every field's error and the visitor's values (422), storing nothing", async () => {
    const form = await buildForm(t.deps.models, business, {
      fields: [
        {
          key: "f1",
          type: "text",
          label: "Your name",
          helpText: null,
          required: true,
          options: [],
          target: "fullName",
        },
        {
          key: "f2",
          type: "email",
          label: "E-mail",
          helpText: null,
          required: true,
          options: [],
          target: "",
        },
        {
          key: "f3",
          type: "phone",
          label: "Phone",
          helpText: null,
          required: false,
          options: [],
          target: "",
        },
        {
          key: "f4",
          type: "dropdown",
          label: "Team size",
          helpText: null,
          required: true,
          options: ["1-10", "11-50"],
          target: "",
        },
        {
          key: "f5",
          type: "checkbox",
          label: "Interests",
          helpText: null,
          required: false,
          options: ["CRM", "Billing"],
          target: "",
        },
        {
          key: "f6",
          type: "number",
          label: "Budget",
          helpText: null,
          required: false,
          options: [],
          target: "",
        },
        {
          key: "f7",
          type: "date",
          label: "Start",
          helpText: null,
          required: false,
          options: [],
          target: "",
        },
        {
          key: "f8",
          type: "consent",
          label: "I agree",
          helpText: null,
          required: true,
          options: [],
          target: "",
        },
        {
          key: "f9",
          type: "textarea",
          label: "Message",
          helpText: null,
          required: false,
          options: [],
          target: "",
        },
      ],
    });
    const before = (await leadsOf()).length;
    const res = await fill(form, {
      f1: "",
      f2: "not-an-email",
      f3: "12",
      f4: "5000+",
      f5: ["CRM", "Hacking"],
      f6: "lots",
      f7: "31/12/2026",
      f9: "x".repeat(5001),
    });
    expect(res.status).toBe(422);
    for (const message of [
      "Fill in Your name.",
      "Enter a valid e-mail address, such as name@example.com.",
      "Enter a valid phone number.",
      "Choose one of the listed options.",
      "Choose from the listed options for Interests.",
      "Enter a number.",
      "Enter a date as YYYY-MM-DD.",
      "Tick this box to send the form.",
      "Keep Message to 5000 characters.",
    ])
      expect(res.text).toContain(message);
    expect(res.text).toContain('value="not-an-email"');
    expect(res.text).toContain('value="lots"');
    expect(res.text).toMatch(/value="CRM" checked/);
    expect(res.text).toContain("Please correct the 9 highlighted field(s)");
    expect(await leadsOf()).toHaveLength(before);
    expect(await t.deps.models.FormSubmission.count({ where: { formId: form.id } })).toBe(0);
  });

  it("counts spam (honeypot, too fast, forged token) without storing it, answering as to a person", async () => {
    const form = await buildForm(t.deps.models, business);
    const before = (await leadsOf()).length;
    const honeypot = await fill(form, {
      f1: "Bot",
      f2: "bot@spam.test",
      company_website: "http://spam.test",
    });
    expect(honeypot.status).toBe(200);
    expect(honeypot.text).toContain("Thanks! We will call you soon.");
    const page = await request(t.app).get(`/f/${form.slug}`).expect(200);
    const tooFast = await request(t.app)
      .post(`/f/${form.slug}`)
      .type("form")
      .send({
        _form_token: formTokenFrom(page.text),
        company_website: "",
        f1: "Bot",
        f2: "fast@spam.test",
      });
    expect(tooFast.status).toBe(200);
    const other = await buildForm(t.deps.models, business);
    const otherPage = await request(t.app).get(`/f/${other.slug}`).expect(200);
    await clock.advance(5000);
    const forged = await request(t.app)
      .post(`/f/${form.slug}`)
      .type("form")
      .send({
        _form_token: formTokenFrom(otherPage.text),
        company_website: "",
        f1: "Bot",
        f2: "forged@spam.test",
      });
    expect(forged.status).toBe(200);
    const missing = await request(t.app)
      .post(`/f/${form.slug}`)
      .type("form")
      .send({ f1: "Bot", f2: "none@spam.test" });
    expect(missing.status).toBe(200);
    await form.reload();
    expect(form.spamCount).toBe(4);
    expect(form.submissionCount).toBe(0);
    expect(await leadsOf()).toHaveLength(before);
  });

  it("shows a page left open past the token's age again, keeping the answers", async () => {
    const form = await buildForm(t.deps.models, business);
    const page = await request(t.app).get(`/f/${form.slug}`).expect(200);
    await clock.advance(25 * 3600 * 1000);
    const res = await request(t.app)
      .post(`/f/${form.slug}`)
      .type("form")
      .send({
        _form_token: formTokenFrom(page.text),
        company_website: "",
        f1: "Sleepy Visitor",
        f2: "sleepy@example.test",
      });
    expect(res.status).toBe(200);
    expect(res.text).toContain("This page was open for a long time");
    expect(res.text).toContain('value="Sleepy Visitor"');
    expect(formTokenFrom(res.text)).not.toBe(formTokenFrom(page.text));
    expect(
      await t.deps.models.Lead.count({
        where: { businessId: business.id, email: "sleepy@example.test" },
      }),
    ).toBe(0);
  });

  it("attaches a returning lead's or a customer's submission instead of duplicating", async () => {
    const lead = await buildLead(t.deps.models, business, { email: "aarav@techverse.in" });
    const form = await buildForm(t.deps.models, business);
    expect(
      (await fill(form, { f1: "Aarav S", f2: "AARAV@techverse.in", f4: "Second visit" })).status,
    ).toBe(200);
    expect(
      await t.deps.models.Lead.count({
        where: { businessId: business.id, email: "aarav@techverse.in" },
      }),
    ).toBe(1);
    const events = await t.deps.models.LeadEvent.findAll({ where: { leadId: lead.id } });
    expect(events.map((e) => e.kind)).toContain("form_submitted");
    await lead.reload();
    expect(JSON.parse(lead.answers ?? "{}")).toMatchObject({ f4: "Second visit" });

    const customer = await buildCustomer(t.deps.models, business, { phoneE164: "+919811022345" });
    expect(
      (
        await fill(form, {
          f1: "Rahul Goyal",
          f2: "rahul@retailworks.in",
          f3: "+91 98110 22345",
        })
      ).status,
    ).toBe(200);
    expect(
      await t.deps.models.Lead.count({
        where: { businessId: business.id, email: "rahul@retailworks.in" },
      }),
    ).toBe(0);
    const timeline = await t.deps.models.TimelineEvent.findAll({
      where: { customerId: customer.id },
    });
    expect(timeline.map((e) => e.kind)).toContain("form_submitted");
    const outcomes = await t.deps.models.FormSubmission.findAll({
      where: { formId: form.id },
      order: [["id", "ASC"]],
    });
    expect(outcomes.map((s) => [s.outcome, s.leadId, s.customerId])).toEqual([
      ["attached_lead", lead.id, null],
      ["attached_customer", null, customer.id],
    ]);
  });

  it("limits submissions per IP address (429), counted as spam", async () => {
    const limited = await buildTestApp({ FORMS_SUBMISSIONS_PER_IP_PER_MINUTE: "2" }, { clock });
    try {
      const form = await buildForm(limited.deps.models, business);
      const send = () =>
        request(limited.app).post(`/f/${form.slug}`).type("form").send({ f1: "x", f2: "y" });
      await send().expect(200);
      await send().expect(200);
      const refused = await send().expect(429);
      expect(refused.text).toContain("Too many submissions");
      expect(refused.headers["retry-after"]).toBeDefined();
      await form.reload();
      expect(form.spamCount).toBe(3);
    } finally {
      await limited.close();
    }
  });
});
