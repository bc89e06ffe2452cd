import { buildBusiness, buildCustomer, buildUser } from "../../../test/factories";
import { buildMessageTemplate, buildWhatsAppChannel } from "../../../test/factoriesMessaging";
import { WhatsAppCloudStandIn } from "../../../test/standins/whatsappCloud";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, type Agent } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import type { Business } from "../../models";

async function post(agent: Agent, path: string, body: Record<string, unknown> = {}) {
  const csrf = csrfFrom(await agent.get("/campaigns/templates/new"));
  return agent
    .post(path)
    .type("form")
    .send({ _csrf: csrf, ...body });
}

const form = {
  name: "diwali_offer",
  language: "en_US",
  category: "MARKETING",
  headerText: "Diwali at Asha Sweets",
  body: "Hi {{1}}, {{2}} is 20% off for you this week.",
  footerText: "Reply STOP to opt out",
  p1_source: "customer.first_name",
  p1_value: "there",
  p2_source: "fixed",
  p2_value: "Kaju katli",
  button1_type: "URL",
  button1_text: "Order now",
  button1_url: "https://asha.example/order",
};

/** Issue 11 item 2 (WhatsApp half): template pages, validation, approval and preview. */
describe("message template pages", () => {
  let t: TestApp;
  let standIn: WhatsAppCloudStandIn;

  beforeAll(async () => {
    standIn = await new WhatsAppCloudStandIn().start();
    t = await buildTestApp({ WHATSAPP_GRAPH_BASE_URL: standIn.url });
  });
  afterAll(async () => {
    await t.close();
    await standIn.stop();
  });

  async function connect(business: Business) {
    const channel = await buildWhatsAppChannel(t.deps.models, t.deps.config, business, {
      token: `tok-${business.id}`,
    });
    standIn.addNumber({
      phoneNumberId: channel.phoneNumberId!,
      wabaId: channel.wabaId!,
      token: `tok-${business.id}`,
    });
    return channel;
  }

  it("lists nothing yet, says WhatsApp is not connected, and still saves a draft", async () => {
    const { agent, business } = await ownerSignedIn(t);
    const list = await agent.get("/campaigns/templates").expect(200);
    expect(list.text).toContain("No templates yet.");
    expect(list.text).toContain("data-whatsapp-unconnected");
    const saved = await post(agent, "/campaigns/templates", form);
    expect(saved.status).toBe(302);
    const template = await t.deps.models.MessageTemplate.findOne({
      where: { businessId: business.id },
    });
    expect(template).toMatchObject({ status: "draft", channel: "whatsapp", language: "en_US" });
    const page = await agent.get(saved.headers.location as string).expect(200);
    expect(page.text).toContain('data-status="draft"');
    expect(page.text).toMatch(/Submit for approval<\/button>/);
    expect(page.text).toMatch(/type="submit" disabled>Submit for approval/);
    // Submitting without a number is refused with the way out, and changes nothing.
    const refused = await post(agent, `/campaigns/templates/${template!.id}/submit`);
    expect(refused.status).toBe(302);
    const after = await agent.get(`/campaigns/templates/${template!.id}`);
    expect(after.text).toContain("Connect WhatsApp first");
    await template!.reload();
    expect(template!.status).toBe("draft");
  });

  it("refuses an invalid template with each field's reason and saves nothing", async () => {
    const { agent, business } = await ownerSignedIn(t);
    const refused = await post(agent, "/campaigns/templates", {
      ...form,
      name: "Diwali Offer!",
      body: "Hi {{1}}, {{3}} is on sale this week.",
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("Use lowercase letters, digits and underscores");
    expect(refused.text).toContain("{{2}} is missing");
    const unmapped = await post(agent, "/campaigns/templates", {
      ...form,
      p2_source: "",
    });
    expect(unmapped.status).toBe(422);
    expect(unmapped.text).toContain("Choose what fills this placeholder.");
    expect(await t.deps.models.MessageTemplate.count({ where: { businessId: business.id } })).toBe(
      0,
    );
  });

  it("previews with a real customer of the business, escaped", async () => {
    const { agent, business } = await ownerSignedIn(t);
    const customer = await buildCustomer(t.deps.models, business, { name: "Meera <b>Iyer</b>" });
    await buildCustomer(t.deps.models, business, { name: "Ravi Kumar" });
    const template = await buildMessageTemplate(t.deps.models, business, {
      body: "Hello {{1}}, welcome back to {{2}} today.",
      placeholderMap: JSON.stringify({
        "1": { field: "customer.name" },
        "2": { field: "business.name" },
      }),
    });
    const page = await agent
      .get(`/campaigns/templates/${template.id}?customerId=${customer.id}`)
      .expect(200);
    expect(page.text).toContain(
      `Hello Meera &lt;b&gt;Iyer&lt;/b&gt;, welcome back to ${business.name} today.`,
    );
    expect(page.text).not.toContain("<b>Iyer</b>");
    // Another business's customer is not found.
    const other = await buildBusiness(t.deps.models, { owner: await buildUser(t.deps.models) });
    const stranger = await buildCustomer(t.deps.models, other.business, { name: "Stranger" });
    await agent.get(`/campaigns/templates/${template.id}?customerId=${stranger.id}`).expect(404);
  });

  it("submits to Meta (pending), syncs approval, then a rejection with its reason; a rejected one is edited back to draft", async () => {
    const { agent, business } = await ownerSignedIn(t);
    const channel = await connect(business);
    await post(agent, "/campaigns/templates", form);
    const template = await t.deps.models.MessageTemplate.findOne({
      where: { businessId: business.id },
    });
    expect((await post(agent, `/campaigns/templates/${template!.id}/submit`)).status).toBe(302);
    await template!.reload();
    expect(template).toMatchObject({ status: "pending" });
    expect(template!.providerTemplateId).toBeTruthy();
    const atMeta = standIn.templates.get(`${channel.wabaId}|diwali_offer|en_US`);
    expect(atMeta).toMatchObject({ status: "PENDING", paramCount: 2 });
    expect(JSON.stringify(atMeta!.components)).toContain('"body_text":[["Asha","Kaju katli"]]');

    // Pending: no edits.
    const locked = await post(agent, `/campaigns/templates/${template!.id}`, form);
    expect(locked.status).toBe(409);
    expect(locked.text).toContain("cannot change");

    await standIn.decideTemplate(channel.wabaId!, "diwali_offer", "en_US", { status: "APPROVED" });
    await post(agent, `/campaigns/templates/${template!.id}/sync`);
    await template!.reload();
    expect(template!.status).toBe("approved");

    await standIn.decideTemplate(channel.wabaId!, "diwali_offer", "en_US", {
      status: "REJECTED",
      reason: "INCORRECT_CATEGORY",
    });
    await post(agent, `/campaigns/templates/${template!.id}/sync`);
    await template!.reload();
    expect(template).toMatchObject({ status: "rejected", rejectionReason: "INCORRECT_CATEGORY" });
    const page = await agent.get(`/campaigns/templates/${template!.id}`).expect(200);
    expect(page.text).toContain("Rejected by Meta:</strong> INCORRECT_CATEGORY");

    const edited = await post(agent, `/campaigns/templates/${template!.id}`, {
      ...form,
      category: "UTILITY",
    });
    expect(edited.status).toBe(302);
    await template!.reload();
    expect(template).toMatchObject({ status: "draft", category: "UTILITY", rejectionReason: null });
  });

  it("lists both channels with a filter; e-mail rows open the e-mail editor", async () => {
    const { agent, business } = await ownerSignedIn(t);
    const wa = await buildMessageTemplate(t.deps.models, business, { name: "welcome_back" });
    const email = await buildMessageTemplate(t.deps.models, business, {
      channel: "email",
      name: "Monthly news",
      subject: "What's new",
      body: "<p>Hi</p>",
      htmlBody: "<p>Hi</p>",
      status: "approved",
    });
    const all = await agent.get("/campaigns/templates").expect(200);
    expect(all.text).toContain(`href="/campaigns/templates/${wa.id}"`);
    expect(all.text).toContain(`href="/email-templates/${email.id}"`);
    const onlyWa = await agent.get("/campaigns/templates?channel=whatsapp").expect(200);
    expect(onlyWa.text).toContain("welcome_back");
    expect(onlyWa.text).not.toContain("Monthly news");
    const onlyEmail = await agent.get("/campaigns/templates?channel=email").expect(200);
    expect(onlyEmail.text).not.toContain("welcome_back");
    await agent.get(`/campaigns/templates/${email.id}`).expect(404);
  });

  it("never shows another business's template", async () => {
    const { agent } = await ownerSignedIn(t);
    const other = await buildBusiness(t.deps.models, { owner: await buildUser(t.deps.models) });
    const theirs = await buildMessageTemplate(t.deps.models, other.business);
    await agent.get(`/campaigns/templates/${theirs.id}`).expect(404);
    const list = await agent.get("/campaigns/templates").expect(200);
    expect(list.text).not.toContain(theirs.name);
  });
});
