import { createServer } from "node:net";
import { buildBusiness, buildCustomer, buildUser, uniqueEmail } from "../../../test/factories";
import {
  buildEmailChannel,
  buildEmailRecipient,
  buildEmailTemplate,
} from "../../../test/factoriesEmail";
import { partOf, startSmtpSink, type SmtpSink } from "../../../test/standins/smtpSink";
import { openTestDatabase, type TestDatabase } from "../../../test/support/database";
import { systemContextFor, testDeps } from "../../../test/support/deps";
import { isUnavailable, type PreparedSender } from "../../commands/campaigns/sending/channel";
import { verifyToken } from "../../commands/tracking/tokens";
import type { Deps } from "../../deps";
import type { Business, Campaign, Customer } from "../../models";
import { buildCampaign } from "../../../test/factoriesCampaigns";
import { emailSender } from "./campaignSender";
import {
  createCampaignTransports,
  parseMessageId,
  type CampaignTransports,
} from "./campaignTransport";
import { emailSetupOf, notSetUpMessage } from "./emailSetup";

describe("campaign e-mail sender (CampaignChannelSender for e-mail)", () => {
  let db: TestDatabase;
  let deps: Deps;
  let sink: SmtpSink;
  let transports: CampaignTransports;
  let business: Business;
  let campaign: Campaign;

  beforeAll(async () => {
    db = await openTestDatabase();
    sink = await startSmtpSink();
    const base = testDeps(db);
    // The platform's SMTP is the sink.
    deps = { ...base, config: { ...base.config, SMTP_URL: sink.url } };
    transports = createCampaignTransports();
    const owner = await buildUser(db.models, { planCode: "enterprise" });
    ({ business } = await buildBusiness(db.models, { owner, name: "Lotus Sarees" }));
    await buildEmailChannel(db.models, business, {
      fromName: "Lotus Sarees",
      fromAddress: "offers@lotus.example.com",
      replyTo: "care@lotus.example.com",
    });
    campaign = await buildCampaign(db.models, business, { name: "Festive offers" });
  });
  afterAll(async () => {
    await transports.close();
    await sink.close();
  });

  async function prepared(d: Deps = deps, b: Business = business): Promise<PreparedSender> {
    const ctx = await systemContextFor(db, b);
    const result = await emailSender({ transports })(d, ctx, campaign);
    if (isUnavailable(result)) throw new Error(result.unavailable);
    return result;
  }

  async function recipientFor(customer: Customer) {
    return buildEmailRecipient(db.models, business, customer, { campaign, status: "sending" });
  }

  it("sends through the platform SMTP with From, Reply-To, RFC 8058 headers and the Message-ID it returns", async () => {
    const sender = await prepared();
    const customer = await buildCustomer(db.models, business, {
      name: "Kavya <Rao>",
      email: uniqueEmail("kavya"),
    });
    const recipient = await recipientFor(customer);
    const template = await buildEmailTemplate(db.models, business);
    const outcome = await sender.send(recipient, campaign, template, customer);
    expect(outcome.ok).toBe(true);
    const [message] = sink.to(recipient.address);
    const h = message?.headers ?? {};
    expect(h.from).toBe("Lotus Sarees <offers@lotus.example.com>");
    expect(h["reply-to"]).toBe("care@lotus.example.com");
    expect(h.to).toBe(recipient.address);
    expect(h.subject).toBe(`News for Kavya <Rao> from Lotus Sarees`);
    expect(h["list-unsubscribe-post"]).toBe("List-Unsubscribe=One-Click");
    expect(h["list-unsubscribe"]).toMatch(
      /^<http:\/\/[^>]+\/u\/u-[^>]+>, <mailto:care@lotus\.example\.com\?subject=Unsubscribe%20u-[^>]+>$/,
    );
    const token = /\/u\/([^>]+)>/.exec(h["list-unsubscribe"] ?? "")?.[1] ?? "";
    expect(verifyToken(deps.config.secretsKey, token, "u")).toEqual({
      kind: "u",
      businessId: business.id,
      customerId: customer.id,
      recipientId: recipient.id,
    });
    expect(outcome.ok && outcome.providerMessageId).toBe(h["message-id"]);
    expect(parseMessageId(h["message-id"] ?? "")).toEqual({
      businessId: business.id,
      recipientId: recipient.id,
    });
    expect(h["x-crm-campaign"]).toBe(String(campaign.id));
    const html = partOf(message?.raw ?? "", "text/html") ?? "";
    expect(html).toContain("Hello Kavya,");
    expect(html).toMatch(
      /\/t\/c\/c-[^"?]+\?u=https%3A%2F%2Fshop\.example\.com%2Fsale%3Fx%3D1%26y%3D2/,
    );
    expect(html).toMatch(/\/t\/o\/o-[^"]+\.gif/);
    expect(partOf(message?.raw ?? "", "text/plain")).toContain(
      "See the sale (https://shop.example.com/sale?x=1&y=2)",
    );
  });

  it("escapes customer values in the HTML", async () => {
    const sender = await prepared();
    const customer = await buildCustomer(db.models, business, {
      name: '<img src=x onerror="alert(1)">',
      email: uniqueEmail("xss"),
    });
    const template = await buildEmailTemplate(db.models, business, {
      htmlBody: '<p>Dear {{customer.name}}</p><a href="{{unsubscribe_url}}">Unsubscribe</a>',
    });
    const recipient = await recipientFor(customer);
    await sender.send(recipient, campaign, template, customer);
    const html = partOf(sink.to(recipient.address)[0]?.raw ?? "", "text/html") ?? "";
    expect(html).toContain("Dear &lt;img src=x onerror=&quot;alert(1)&quot;&gt;");
    expect(html).not.toContain("<img src=x");
  });

  it("maps refusals: 550 at RCPT bounces for good, 451 and a dead server are retried", async () => {
    const sender = await prepared();
    const template = await buildEmailTemplate(db.models, business);
    const gone = await buildCustomer(db.models, business, { email: uniqueEmail("gone") });
    const busy = await buildCustomer(db.models, business, { email: uniqueEmail("busy") });
    const goneRow = await recipientFor(gone);
    const busyRow = await recipientFor(busy);
    sink.refuse(goneRow.address, 550);
    sink.refuse(busyRow.address, 451);
    const bounced = await sender.send(goneRow, campaign, template, gone);
    expect(bounced).toEqual({
      ok: false,
      failure: {
        code: "550",
        kind: "bounced",
        reason: expect.stringMatching(/^Bounced: .*No such user/),
      },
    });
    const retried = await sender.send(busyRow, campaign, template, busy);
    expect(retried).toEqual({
      ok: false,
      failure: {
        code: "451",
        kind: "transient",
        reason: expect.stringContaining("try again later"),
      },
    });
    expect(sink.to(goneRow.address)).toEqual([]);

    // A server that is not there: connection refused, retried.
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
      });
    });
    const down = await prepared({
      ...deps,
      config: { ...deps.config, SMTP_URL: `smtp://127.0.0.1:${port}` },
    });
    const someone = await buildCustomer(db.models, business, { email: uniqueEmail("down") });
    const outcome = await down.send(await recipientFor(someone), campaign, template, someone);
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.failure.kind).toBe("transient");
  });

  it("never sends to a customer who opted out", async () => {
    const sender = await prepared();
    const template = await buildEmailTemplate(db.models, business);
    const customer = await buildCustomer(db.models, business, { email: uniqueEmail("out") });
    const recipient = await recipientFor(customer);
    await customer.update({ marketingOptedOutAt: new Date("2030-01-01T00:00:00Z") });
    const outcome = await sender.send(recipient, campaign, template, customer);
    expect(outcome).toMatchObject({ ok: false, failure: { code: "opted_out", kind: "permanent" } });
    expect(sink.to(recipient.address)).toEqual([]);
  });

  it("says plainly when e-mail is not set up, and uses the business's own SMTP when it has one", async () => {
    const noPlatform = { ...deps, config: { ...deps.config, SMTP_URL: undefined } };
    const ctx = await systemContextFor(db, business);
    expect(await emailSender({ transports })(noPlatform, ctx, campaign)).toEqual({
      unavailable: notSetUpMessage,
    });
    const { business: own } = await buildBusiness(db.models);
    await buildEmailChannel(db.models, own, {
      secretsKey: deps.config.secretsKey,
      smtpUrl: sink.url,
    });
    const setup = await emailSetupOf(noPlatform, own.id);
    expect(setup).toMatchObject({ ok: true, setup: { server: "business", smtpUrl: sink.url } });
  });
});
