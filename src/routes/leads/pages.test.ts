import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn, type Agent } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import { buildBusiness, buildMember, buildUser } from "../../../test/factories";
import { buildLead } from "../../../test/factoriesLeads";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";

const clock = new FakeClock("2026-12-01T06:00:00Z");

describe("lead pages", () => {
  let t: TestApp;
  let business: Business;
  let owner: User;
  let agent: Agent;

  const leadsOf = (businessId: number) =>
    t.deps.models.Lead.findAll({ where: { businessId }, order: [["id", "ASC"]] });

  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
    ({ business, owner, agent } = await ownerSignedIn(t, "enterprise"));
  });
  afterAll(() => t.close());

  it("says what to do on an empty list and board, and shows Leads in the menu", async () => {
    const list = await agent.get("/leads").expect(200);
    expect(list.text).toContain('href="/leads"');
    expect(list.text).toContain("No leads yet. Add the people who showed interest");
    const board = await agent.get("/leads/board").expect(200);
    expect(board.text).toContain("The board is empty");
  });

  it("keeps the values and shows every field's error when the form does not save", async () => {
    const form = await agent.get("/leads/new").expect(200);
    const res = await agent
      .post("/leads")
      .type("form")
      .send({
        _csrf: csrfFrom(form),
        firstName: "",
        company: "Kept Company",
        email: "not-mail",
        phone: "12",
        score: "150",
        nextActionOn: "tomorrow",
        bantNeed: "on",
      })
      .expect(422);
    expect(res.text).toContain('value="Kept Company"');
    expect(res.text).toContain("Enter the lead&#x27;s first name.");
    expect(res.text).toContain("Enter a valid e-mail address.");
    expect(res.text).toContain("Enter a valid phone number.");
    expect(res.text).toContain("Enter a score from 0 to 100.");
    expect(res.text).toContain("Enter the next action&#x27;s date as YYYY-MM-DD.");
    expect(res.text).toMatch(/id="field-bantNeed" name="bantNeed" checked/);
    expect(await leadsOf(business.id)).toHaveLength(0);
  });

  it("creates a lead from the form, shows its page, edits it, moves it on the board and deletes it", async () => {
    const form = await agent.get("/leads/new").expect(200);
    const created = await agent
      .post("/leads")
      .type("form")
      .send({
        _csrf: csrfFrom(form),
        firstName: "Aarav",
        lastName: "Sharma",
        email: "aarav@techverse.in",
        phone: "98765 43120",
        source: "Website",
        campaignName: "Launch Sprint 2025",
        stage: "contacted",
        score: "45",
        ownerId: String(owner.id),
        bantBudget: "on",
        consentWhatsapp: "on",
        interestedProducts: "CRM, Billing",
        nextAction: "Demo call",
        nextActionOn: "2026-12-04",
      })
      .expect(302);
    const [lead] = await leadsOf(business.id);
    expect(created.headers.location).toBe(`/leads/${lead!.id}`);
    expect(lead).toMatchObject({ phoneE164: "+919876543120", score: 45, bantBudget: true });

    const page = await agent.get(`/leads/${lead!.id}`).expect(200);
    expect(page.text).toContain("Aarav Sharma");
    expect(page.text).toContain("Warm · 45");
    expect(page.text).toContain("Demo call");
    expect(page.text).toContain("Lead created (Contacted)");
    const list = await agent.get("/leads?temperature=warm&q=aarav").expect(200);
    expect(list.text).toContain(`data-lead-id="${lead!.id}"`);
    expect((await agent.get("/leads?temperature=hot").expect(200)).text).toContain(
      "No leads match these filters.",
    );

    const edit = await agent.get(`/leads/${lead!.id}/edit`).expect(200);
    expect(edit.text).toContain('value="CRM, Billing"');
    await agent
      .post(`/leads/${lead!.id}`)
      .type("form")
      .send({
        _csrf: csrfFrom(edit),
        firstName: "Aarav",
        lastName: "Sharma",
        email: "aarav@techverse.in",
        phone: "+91 98765 43120",
        stage: "contacted",
        score: "80",
        ownerId: String(owner.id),
        interestedProducts: "CRM, Billing",
      })
      .expect(302);
    await lead!.reload();
    // Unticked boxes clear, blank fields clear; the rest is kept.
    expect(lead).toMatchObject({
      score: 80,
      bantBudget: false,
      source: null,
      consentWhatsappAt: null,
    });

    const board = await agent.get("/leads/board").expect(200);
    expect(board.text).toContain(`data-lead-id="${lead!.id}"`);
    await agent
      .post(`/leads/${lead!.id}/stage`)
      .type("form")
      .send({ _csrf: csrfFrom(board), stage: "qualified", from: "board" })
      .expect(302)
      .expect("Location", "/leads/board");
    expect((await lead!.reload()).stage).toBe("qualified");

    const confirm = await agent.get(`/leads/${lead!.id}/delete`).expect(200);
    expect(confirm.text).toContain("Delete Aarav Sharma?");
    await agent
      .post(`/leads/${lead!.id}/delete`)
      .type("form")
      .send({ _csrf: csrfFrom(confirm) })
      .expect(302);
    expect(await leadsOf(business.id)).toHaveLength(0);
  });

  it("answers a duplicate on the form with the 409 message, values kept", async () => {
    await buildLead(t.deps.models, business, {
      email: "dup@example.test",
      firstName: "Mohan",
      lastName: "Rao",
    });
    const form = await agent.get("/leads/new").expect(200);
    const res = await agent
      .post("/leads")
      .type("form")
      .send({ _csrf: csrfFrom(form), firstName: "Other", email: "dup@example.test" })
      .expect(409);
    expect(res.text).toContain("A lead with this e-mail address already exists: Mohan Rao.");
    expect(res.text).toContain('value="Other"');
  });

  it("shows sales their own leads only; refuses support (403) and plans without leads (402)", async () => {
    const seller = (await buildMember(t.deps.models, business, "sales")).user;
    const mine = await buildLead(t.deps.models, business, {
      firstName: "Mine",
      ownerId: seller.id,
    });
    const theirs = await buildLead(t.deps.models, business, { firstName: "Theirs" });
    const sales = await signedIn(t, seller.email);
    const list = await sales.get("/leads").expect(200);
    expect(list.text).toContain(`data-lead-id="${mine.id}"`);
    expect(list.text).not.toContain(`data-lead-id="${theirs.id}"`);
    await sales.get(`/leads/${theirs.id}`).expect(404);
    await sales.get(`/leads/${mine.id}`).expect(200);
    // No owner select for sales: the lead stays theirs.
    const form = await sales.get("/leads/new").expect(200);
    expect(form.text).not.toContain('name="ownerId"');

    const support = (await buildMember(t.deps.models, business, "support")).user;
    const helper = await signedIn(t, support.email);
    await helper.get("/leads").expect(403);
    await helper.get(`/leads/${mine.id}`).expect(403);

    const silverOwner = await buildUser(t.deps.models, { planCode: "silver" });
    await buildBusiness(t.deps.models, { owner: silverOwner });
    const gold = await signedIn(t, silverOwner.email);
    await gold.get("/leads").expect(402);
  });

  it("answers 404 for another business's lead on every lead page", async () => {
    const { business: other } = await buildBusiness(t.deps.models);
    const foreign = await buildLead(t.deps.models, other);
    const page = await agent.get("/leads").expect(200);
    await agent.get(`/leads/${foreign.id}`).expect(404);
    await agent.get(`/leads/${foreign.id}/edit`).expect(404);
    await agent.get(`/leads/${foreign.id}/delete`).expect(404);
    await agent
      .post(`/leads/${foreign.id}/delete`)
      .type("form")
      .send({ _csrf: csrfFrom(page) })
      .expect(404);
    expect(await t.deps.models.Lead.findByPk(foreign.id)).not.toBeNull();
  });
});
