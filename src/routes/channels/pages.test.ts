import { buildBusiness, buildMember, buildUser } from "../../../test/factories";
import { buildWhatsAppChannel } from "../../../test/factoriesMessaging";
import { WhatsAppCloudStandIn } from "../../../test/standins/whatsappCloud";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn, type Agent } from "../../../test/support/customers";
import { postForm } from "../../../test/support/forms";
import { QueryTypes } from "sequelize";
import { openSecret } from "../../lib/secretBox";

/** Forms posted from /settings/channels (every form there carries the same token). */
const post = (agent: Agent, path: string, body: Record<string, unknown> = {}) =>
  postForm(agent, "/settings/channels", path, body);

let seq = 0;
const ids = () => {
  seq += 1;
  const n = `${Date.now() % 1e8}${seq}`;
  return { phoneNumberId: `106${n}`, wabaId: `206${n}` };
};

/** Issue 11 item 1: the channels settings page, its sealed token and "Test connection". */
describe("messaging channels page", () => {
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

  it("says plainly that both channels are not set up yet", async () => {
    const { agent } = await ownerSignedIn(t);
    const page = await agent.get("/settings/channels").expect(200);
    expect(page.text).toContain("WhatsApp is not set up.");
    expect(page.text).toContain("E-mail is not set up.");
    expect(page.text).toContain('data-status="unconfigured"');
    expect(page.text).not.toContain("Test connection");
  });

  it("saves the number with its token sealed, tests it (connected), and never shows the token", async () => {
    const { agent, business } = await ownerSignedIn(t);
    const { phoneNumberId, wabaId } = ids();
    const token = `EAAG${Date.now()}secretTokenValue`;
    standIn.addNumber({ phoneNumberId, wabaId, token, verifiedName: "Asha Sweets" });
    const saved = await post(agent, "/settings/channels/whatsapp", {
      phoneNumberId,
      wabaId,
      accessToken: token,
      throughputTier: "1000",
      messagingLimitTier: "10000",
      optOutKeywords: "band karo, Rukja",
    });
    expect(saved.status).toBe(302);
    const channel = await t.deps.models.MessagingChannel.findOne({
      where: { businessId: business.id, kind: "whatsapp" },
    });
    expect(channel).toMatchObject({
      phoneNumberId,
      wabaId,
      throughputTier: 1000,
      messagingLimitTier: 10000,
      status: "connected",
      lastError: null,
    });
    expect(JSON.parse(channel!.optOutKeywords!)).toEqual(["BAND KARO", "RUKJA"]);
    // Sealed at rest: the column is not the token and opens to it with SECRETS_KEY.
    expect(channel!.accessTokenSealed).not.toContain(token);
    expect(openSecret(t.deps.config.secretsKey, channel!.accessTokenSealed!)).toBe(token);
    const rows = await t.deps.sequelize.query(
      "SELECT * FROM messaging_channels WHERE business_id = ?",
      {
        replacements: [business.id],
        type: QueryTypes.SELECT,
      },
    );
    const raw = JSON.stringify(rows);
    expect(raw).not.toContain(token);

    const page = await agent.get("/settings/channels").expect(200);
    expect(page.text).not.toContain(token);
    expect(page.text).toContain('data-status="connected"');
    expect(page.text).toContain("data-token-saved");
    expect(page.text).toContain("Test connection");
    const flash = await agent.get("/settings/channels");
    expect(flash.text).not.toContain(token);

    // Saving again without a token keeps the stored one.
    const again = await post(agent, "/settings/channels/whatsapp", {
      phoneNumberId,
      wabaId,
      accessToken: "",
      throughputTier: "80",
      messagingLimitTier: "unlimited",
    });
    expect(again.status).toBe(302);
    await channel!.reload();
    expect(channel).toMatchObject({
      throughputTier: 80,
      messagingLimitTier: null,
      status: "connected",
    });
    expect(openSecret(t.deps.config.secretsKey, channel!.accessTokenSealed!)).toBe(token);
  });

  it("records a refused token as failing with Meta's reason, and the test button passes once fixed", async () => {
    const { agent, business } = await ownerSignedIn(t);
    const { phoneNumberId, wabaId } = ids();
    standIn.addNumber({ phoneNumberId, wabaId, token: "right-token" });
    expect(
      (
        await post(agent, "/settings/channels/whatsapp", {
          phoneNumberId,
          wabaId,
          accessToken: "wrong-token",
          throughputTier: "80",
          messagingLimitTier: "250",
        })
      ).status,
    ).toBe(302);
    const channel = await t.deps.models.MessagingChannel.findOne({
      where: { businessId: business.id, kind: "whatsapp" },
    });
    expect(channel?.status).toBe("failing");
    expect(channel?.lastError).toMatch(/access token was refused \(code 190\)/);
    const page = await agent.get("/settings/channels").expect(200);
    expect(page.text).toContain('data-status="failing"');
    expect(page.text).toContain("Last test failed.");
    expect(page.text).toContain("code 190");

    standIn.addNumber({ phoneNumberId, wabaId, token: "wrong-token" });
    const tested = await post(agent, "/settings/channels/whatsapp/test");
    expect(tested.status).toBe(302);
    await channel!.reload();
    expect(channel).toMatchObject({ status: "connected", lastError: null });
    expect(channel?.lastTestedAt).toBeInstanceOf(Date);
  });

  it("refuses bad input with every field's error and saves nothing", async () => {
    const { agent, business } = await ownerSignedIn(t);
    const refused = await post(agent, "/settings/channels/whatsapp", {
      phoneNumberId: "abc",
      wabaId: "",
      accessToken: "has a space",
      throughputTier: "500",
      messagingLimitTier: "250",
      optOutKeywords: "<script>",
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("Enter the phone number id");
    expect(refused.text).toContain("Choose 80 or 1,000 messages per second.");
    expect(refused.text).toContain("An access token has no spaces.");
    expect(refused.text).toContain("Keywords are words");
    const first = await post(agent, "/settings/channels/whatsapp", {
      ...ids(),
      accessToken: "",
      throughputTier: "80",
      messagingLimitTier: "250",
    });
    expect(first.status).toBe(422);
    expect(first.text).toContain("Paste the access token");
    expect(await t.deps.models.MessagingChannel.count({ where: { businessId: business.id } })).toBe(
      0,
    );
  });

  it("refuses a phone number id another business has connected (the webhook routes on it)", async () => {
    const other = await buildBusiness(t.deps.models, { owner: await buildUser(t.deps.models) });
    const taken = await buildWhatsAppChannel(t.deps.models, t.deps.config, other.business);
    const { agent, business } = await ownerSignedIn(t);
    const refused = await post(agent, "/settings/channels/whatsapp", {
      phoneNumberId: taken.phoneNumberId,
      wabaId: "2000000001",
      accessToken: "some-token",
      throughputTier: "80",
      messagingLimitTier: "250",
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("already connected to another business");
    expect(await t.deps.models.MessagingChannel.count({ where: { businessId: business.id } })).toBe(
      0,
    );
  });

  it("saves the e-mail sender with a sealed SMTP URL, and forgets it on request", async () => {
    const { agent, business } = await ownerSignedIn(t);
    const smtpUrl = "smtps://mailer:VerySecretPw@smtp.example.com:465";
    expect(
      (
        await post(agent, "/settings/channels/email", {
          fromName: "Asha Sweets",
          fromAddress: "hello@asha.example",
          replyTo: "",
          smtpUrl,
        })
      ).status,
    ).toBe(302);
    const channel = await t.deps.models.MessagingChannel.findOne({
      where: { businessId: business.id, kind: "email" },
    });
    expect(channel).toMatchObject({ fromName: "Asha Sweets", replyTo: null, status: "connected" });
    expect(channel!.smtpUrlSealed).not.toContain("VerySecretPw");
    expect(openSecret(t.deps.config.secretsKey, channel!.smtpUrlSealed!)).toBe(smtpUrl);
    const page = await agent.get("/settings/channels").expect(200);
    expect(page.text).not.toContain("VerySecretPw");
    expect(page.text).toContain("data-own-smtp");

    const bad = await post(agent, "/settings/channels/email", {
      fromName: "",
      fromAddress: "not-an-address",
      smtpUrl: "http://x",
    });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain("Enter the address your e-mails come from.");

    expect(
      (
        await post(agent, "/settings/channels/email", {
          fromName: "Asha Sweets",
          fromAddress: "hello@asha.example",
          usePlatformSmtp: "on",
        })
      ).status,
    ).toBe(302);
    await channel!.reload();
    expect(channel!.smtpUrlSealed).toBeNull();
  });

  it("says a token sealed with another SECRETS_KEY must be reconnected, and changes nothing", async () => {
    const { agent, business } = await ownerSignedIn(t);
    const channel = await buildWhatsAppChannel(
      t.deps.models,
      { secretsKey: Buffer.alloc(32, 7) },
      business,
      {
        status: "connected",
      },
    );
    const tested = await post(agent, "/settings/channels/whatsapp/test");
    expect(tested.status).toBe(302);
    const page = await agent.get("/settings/channels").expect(200);
    expect(page.text).toContain("could not be read");
    await channel.reload();
    expect(channel.status).toBe("connected");
  });

  it("is for owners and admins: a manager cannot open it", async () => {
    const { business } = await ownerSignedIn(t);
    const { user } = await buildMember(t.deps.models, business, "manager");
    const agent = await signedIn(t, user.email);
    const page = await agent.get("/settings/channels");
    expect([403, 404]).toContain(page.status);
  });
});
