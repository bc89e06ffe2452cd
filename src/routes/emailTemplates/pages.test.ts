import { buildBusiness, buildCustomer, uniqueEmail } from "../../../test/factories";
import { buildEmailChannel, buildEmailTemplate } from "../../../test/factoriesEmail";
import { startSmtpSink, partOf, type SmtpSink } from "../../../test/standins/smtpSink";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, type Agent } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import { closeCampaignTransports } from "../../integrations/mail/emailSetup";
import { verifyToken } from "../../commands/tracking/tokens";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";

const clock = new FakeClock("2030-03-01T09:00:00Z");
const goodBody =
  '<p>Hi {{customer.first_name}},</p><p><a href="https://shop.example.com/new">New arrivals</a></p><p><a href="{{unsubscribe_url}}">Unsubscribe</a></p>';

describe("e-mail template pages: validation, live preview, send me a test", () => {
  let t: TestApp;
  let sink: SmtpSink;
  let business: Business;
  let owner: User;
  let agent: Agent;

  const post = async (
    path: string,
    body: Record<string, unknown>,
    from = "/email-templates/new",
  ) => {
    const page = await agent.get(from);
    return agent
      .post(path)
      .type("form")
      .send({ _csrf: csrfFrom(page), ...body });
  };
  const templatesOf = (b: Business) =>
    t.deps.models.MessageTemplate.findAll({ where: { businessId: b.id, channel: "email" } });

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await buildTestApp({}, { clock });
    ({ business, owner, agent } = await ownerSignedIn(t, "enterprise"));
  });
  afterAll(async () => {
    await closeCampaignTransports(t.deps.config);
    await t.close();
    await sink.close();
  });

  it("says what to do when there are no templates, and that e-mail is not set up", async () => {
    const list = await agent.get("/email-templates").expect(200);
    expect(list.text).toContain("No e-mail templates yet.");
    const editor = await agent.get("/email-templates/new").expect(200);
    expect(editor.text).toContain("E-mail is not set up");
    expect(editor.text).toContain("{{customer.first_name}}");
    expect(editor.text).toContain('formtarget="email-preview"');
  });

  it("refuses unknown variables, an unclosed one and a missing unsubscribe link; saves nothing", async () => {
    const unknown = await post("/email-templates", {
      name: "Offer",
      subject: "Hello {{customer.nmae}}",
      html_body: "<p>{{customer.city}}</p> {{unsubscribe_url}}",
    });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain("Unknown variable {{customer.nmae}}");
    expect(unknown.text).toContain("customers have no city field");
    const unclosed = await post("/email-templates", {
      name: "Offer",
      subject: "Hello",
      html_body: "<p>Hi {{customer.name</p> {{unsubscribe_url}}",
    });
    expect(unclosed.status).toBe(422);
    expect(unclosed.text).toContain("A variable is not closed");
    const noLink = await post("/email-templates", {
      name: "Offer",
      subject: "Hello",
      html_body: "<p>Hi {{customer.name}}</p>",
    });
    expect(noLink.status).toBe(422);
    expect(noLink.text).toContain("Add {{unsubscribe_url}} to the message");
    expect(await templatesOf(business)).toEqual([]);
  });

  it("saves a good template as approved with its text version, and edits it", async () => {
    const created = await post("/email-templates", {
      name: "Spring sale",
      subject: "{{customer.first_name}}, the sale is on",
      html_body: goodBody,
    });
    expect(created.status).toBe(302);
    const [template] = await templatesOf(business);
    expect(template).toMatchObject({ name: "Spring sale", status: "approved", language: "en" });
    expect(template?.body).toContain("New arrivals (https://shop.example.com/new)");
    expect(created.headers.location).toBe(`/email-templates/${template?.id}`);
    const taken = await post("/email-templates", {
      name: "Spring sale",
      subject: "x",
      html_body: goodBody,
    });
    expect(taken.status).toBe(422);
    expect(taken.text).toContain("Another e-mail template already has this name.");
    const edited = await post(
      `/email-templates/${template?.id}`,
      { name: "Spring sale", subject: "Changed", html_body: goodBody },
      `/email-templates/${template?.id}`,
    );
    expect(edited.status).toBe(302);
    await template?.reload();
    expect(template?.subject).toBe("Changed");
  });

  it("previews with a real customer, escaping the customer's values, in its own sandboxed document", async () => {
    const customer = await buildCustomer(t.deps.models, business, {
      name: '<b>Ravi</b> & "Sons"',
      email: uniqueEmail("ravi"),
    });
    const res = await post("/email-templates/preview", {
      subject: "For {{customer.name}}",
      html_body: "<p>Dear {{customer.name}} of {{business.name}}</p>{{unsubscribe_url}}",
      customer_id: String(customer.id),
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain("Dear &lt;b&gt;Ravi&lt;/b&gt; &amp; &quot;Sons&quot; of");
    expect(res.text).not.toContain("<b>Ravi</b>");
    expect(res.headers["content-security-policy"]).toContain("default-src 'none'");
    expect(res.headers["content-security-policy"]).not.toContain("script-src");
    // Unknown variables are listed in the preview while typing, not refused.
    const typing = await post("/email-templates/preview", {
      subject: "x",
      html_body: "<p>{{customer.nam</p>",
      customer_id: "",
    });
    expect(typing.status).toBe(200);
    expect(typing.text).toContain("A variable is not closed");
    expect(typing.text).toContain("Asha Verma");
    // Another business's customer is not found.
    const { business: other } = await buildBusiness(t.deps.models);
    const stranger = await buildCustomer(t.deps.models, other, { email: uniqueEmail("x") });
    const refused = await post("/email-templates/preview", {
      subject: "x",
      html_body: "x",
      customer_id: String(stranger.id),
    });
    expect(refused.status).toBe(404);
  });

  it("sends me a test through the business's own SMTP with the campaign headers", async () => {
    await buildEmailChannel(t.deps.models, business, {
      secretsKey: t.deps.config.secretsKey,
      smtpUrl: sink.url,
      fromName: "Spring Shop",
      fromAddress: "news@spring.example.com",
      replyTo: "owner@spring.example.com",
    });
    const customer = await buildCustomer(t.deps.models, business, {
      name: "Meera Iyer",
      email: uniqueEmail("meera"),
    });
    const template = await buildEmailTemplate(t.deps.models, business, { name: "Test me" });
    const res = await post(
      `/email-templates/${template.id}/test`,
      {
        name: "Test me",
        subject: "Hello {{customer.name}}",
        html_body: goodBody,
        customer_id: String(customer.id),
      },
      `/email-templates/${template.id}`,
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain(`Test sent to ${owner.email}`);
    const [message] = sink.to(owner.email);
    expect(message).toBeDefined();
    const h = message?.headers ?? {};
    expect(h.from).toBe("Spring Shop <news@spring.example.com>");
    expect(h["reply-to"]).toBe("owner@spring.example.com");
    expect(h.subject).toBe("[Test] Hello Meera Iyer");
    expect(h["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    const [https, mailto] = (h["list-unsubscribe"] ?? "").split(/,\s*/);
    expect(https).toMatch(/^<http:\/\/localhost:3000\/u\/u-[^>]+>$/);
    expect(mailto).toMatch(/^<mailto:owner@spring\.example\.com\?subject=Unsubscribe%20u-/);
    const token = /\/u\/([^>]+)>/.exec(https ?? "")?.[1] ?? "";
    expect(verifyToken(t.deps.config.secretsKey, token, "u")).toMatchObject({ recipientId: 0 });
    expect(h["message-id"]).toMatch(new RegExp(`\\.b${business.id}\\.r0@spring\\.example\\.com>$`));
    const html = partOf(message?.raw ?? "", "text/html") ?? "";
    expect(html).toContain("Hi Meera,");
    expect(html).toMatch(/href="http:\/\/localhost:3000\/t\/c\/c-/);
    expect(html).toMatch(/<img src="http:\/\/localhost:3000\/t\/o\/o-[^"]+\.gif"/);
    const text = partOf(message?.raw ?? "", "text/plain") ?? "";
    expect(text).toContain("New arrivals (https://shop.example.com/new)");
  });

  it("says why a test was not sent when the server refuses it", async () => {
    const template = await buildEmailTemplate(t.deps.models, business, { name: "Refused" });
    sink.refuse(owner.email, 550);
    try {
      const res = await post(
        `/email-templates/${template.id}/test`,
        { name: "Refused", subject: "Hi", html_body: goodBody, customer_id: "" },
        `/email-templates/${template.id}`,
      );
      expect(res.status).toBe(422);
      expect(res.text).toContain("The test was not sent: the SMTP server answered 550");
    } finally {
      sink.accept(owner.email);
    }
  });

  it("answers 404 for another business's template", async () => {
    const { business: other } = await buildBusiness(t.deps.models);
    const theirs = await buildEmailTemplate(t.deps.models, other);
    await agent.get(`/email-templates/${theirs.id}`).expect(404);
    const res = await post(
      `/email-templates/${theirs.id}`,
      { name: "Mine now", subject: "x", html_body: goodBody },
      "/email-templates",
    );
    expect(res.status).toBe(404);
    await theirs.reload();
    expect(theirs.name).not.toBe("Mine now");
  });
});
