import request from "supertest";
import { buildBusiness, buildMember, buildUser } from "../../../test/factories";
import { buildSendCampaign } from "../../../test/factoriesCampaignSends";
import { buildWhatsAppChannel } from "../../../test/factoriesMessaging";
import { WhatsAppCloudStandIn } from "../../../test/standins/whatsappCloud";
import { apiAs } from "../../../test/support/api";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { contextFor } from "../../../test/support/deps";
import { createPersonalToken } from "../../commands/personalTokens";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";
import { emailTemplateApiSchema, whatsAppTemplateSchema } from "./apiSchema";

const clock = new FakeClock("2026-12-01T06:00:00Z");

const draft = {
  name: "diwali_offer",
  language: "en",
  category: "MARKETING",
  body: "Hello {{1}}, our Diwali sale starts today at {{2}}. See you there!",
  buttons: [{ type: "URL", text: "Shop now", url: "https://shop.example.com" }],
  placeholders: {
    "1": { field: "customer.first_name", fallback: "there" },
    "2": { fixed: "all our stores" },
  },
};
const email = {
  name: "Newsletter",
  subject: "News from {{business.name}}",
  htmlBody: '<p>Hello {{customer.first_name}}</p><a href="{{unsubscribe_url}}">Unsubscribe</a>',
};

/** Issue 11 item 8: templates under /api/v1 (WhatsApp and e-mail). */
describe("templates API", () => {
  let t: TestApp;
  let standIn: WhatsAppCloudStandIn;
  let business: Business;
  let owner: User;
  let api: Awaited<ReturnType<typeof apiAs>>;

  beforeAll(async () => {
    standIn = await new WhatsAppCloudStandIn({ appSecret: "s", now: () => clock.nowMs() }).start();
    t = await buildTestApp({ WHATSAPP_GRAPH_BASE_URL: standIn.url }, { clock });
    owner = await buildUser(t.deps.models, { planCode: "gold" });
    ({ business } = await buildBusiness(t.deps.models, { owner }));
    api = await apiAs(t, owner, business);
  });
  afterAll(async () => {
    await t.close();
    await standIn.stop();
  });

  it("creates a WhatsApp draft, changes it, submits it to Meta, then refuses changes", async () => {
    const channel = await buildWhatsAppChannel(t.deps.models, t.deps.config, business, {
      token: "wa-token",
    });
    standIn.addNumber({
      phoneNumberId: channel.phoneNumberId!,
      wabaId: channel.wabaId!,
      token: "wa-token",
      tier: 80,
    });
    const created = await api("post", "/whatsapp-templates", draft).expect(201);
    const id = created.body.data.id as number;
    expect(created.headers.location).toBe(`/api/v1/whatsapp-templates/${id}`);
    expect(created.body.data).toMatchObject({
      status: "draft",
      placeholders: draft.placeholders,
      buttons: draft.buttons,
      headerText: null,
    });
    expect(whatsAppTemplateSchema.safeParse(created.body.data).error).toBeUndefined();

    // Meta's rules, in the API's field names; nothing saved.
    const bad = await api("post", "/whatsapp-templates", {
      ...draft,
      name: "Diwali Offer",
      body: "Hi {{1}} and {{3}} friends.",
      placeholders: {},
    }).expect(422);
    expect(bad.body.error).toBe("validation_failed");
    expect(bad.body.details.fields).toMatchObject({
      name: expect.any(String),
      body: expect.stringContaining("{{2}}"),
    });
    const unmapped = await api("post", "/whatsapp-templates", {
      ...draft,
      name: "other",
      placeholders: { "1": { fixed: "x" } },
      buttons: [{ type: "URL", text: "Go", url: "http://insecure" }],
    }).expect(422);
    expect(Object.keys(unmapped.body.details.fields).sort()).toEqual([
      "buttons.0",
      "placeholders.2",
    ]);
    await api("post", "/whatsapp-templates", { ...draft, category: "SPAM", extra: 1 }).expect(422);

    // PATCH merges the fields sent over the draft.
    const patched = await api("patch", `/whatsapp-templates/${id}`, {
      footerText: "Reply STOP to opt out",
    }).expect(200);
    expect(patched.body.data).toMatchObject({
      footerText: "Reply STOP to opt out",
      body: draft.body,
      placeholders: draft.placeholders,
    });

    const submitted = await api("post", `/whatsapp-templates/${id}/submit`).expect(200);
    expect(submitted.body.data).toMatchObject({ status: "pending" });
    expect(submitted.body.data.providerTemplateId).toBeTruthy();
    expect(whatsAppTemplateSchema.safeParse(submitted.body.data).success).toBe(true);
    const locked = await api("patch", `/whatsapp-templates/${id}`, { body: "Changed {{1}} now." });
    expect(locked.status).toBe(409);
    expect(locked.body.error).toBe("conflict");
    await api("post", `/whatsapp-templates/${id}/submit`).expect(409);
    const shown = await api("get", `/whatsapp-templates/${id}`).expect(200);
    expect(shown.body.data.body).toBe(draft.body);
  });

  it("creates, changes and lists e-mail templates by cursor; refuses a body without unsubscribe", async () => {
    const { business: other, owner: otherOwner } = await buildBusiness(t.deps.models, {
      owner: await buildUser(t.deps.models, { planCode: "gold" }),
    });
    const own = await apiAs(t, otherOwner, other);
    const ids: number[] = [];
    for (const name of ["One", "Two", "Three"])
      ids.push(
        (await own("post", "/email-templates", { ...email, name }).expect(201)).body.data.id,
      );
    const noLink = await own("post", "/email-templates", {
      ...email,
      name: "Four",
      htmlBody: "<p>{{customer.city}}</p>",
    }).expect(422);
    expect(noLink.body.details.fields.htmlBody).toContain("customer.city");
    await own("post", "/email-templates", { ...email, name: "One" }).expect(422);

    const first = await own("get", "/email-templates?limit=2").expect(200);
    expect(first.body.data.map((x: { id: number }) => x.id)).toEqual(ids.slice(0, 2));
    const second = await own(
      "get",
      `/email-templates?limit=2&cursor=${first.body.nextCursor as string}`,
    ).expect(200);
    expect(second.body.data.map((x: { name: string }) => x.name)).toEqual(["Three"]);
    expect(second.body.nextCursor).toBeNull();
    for (const item of [...first.body.data, ...second.body.data])
      expect(emailTemplateApiSchema.safeParse(item).success).toBe(true);
    await own("get", "/email-templates?cursor=bogus").expect(422);
    // Each list has its own channel's templates only.
    expect((await own("get", "/whatsapp-templates").expect(200)).body.data).toEqual([]);

    const patched = await own("patch", `/email-templates/${ids[0]}`, {
      subject: "Hello {{customer.name}}",
    }).expect(200);
    expect(patched.body.data).toMatchObject({ subject: "Hello {{customer.name}}", name: "One" });
    expect(patched.body.data.textBody).toContain("Unsubscribe");
    await own("patch", `/email-templates/${ids[0]}`, { subject: "" }).expect(422);
  });

  it("deletes unless an unfinished campaign uses the template (409, nothing changed)", async () => {
    const template = (await api("post", "/email-templates", { ...email, name: "Used" }).expect(201))
      .body.data.id as number;
    const campaign = await buildSendCampaign(t.deps.models, business, {
      channel: "email",
      templateId: template,
      sendState: "paused",
    });
    const refused = await api("delete", `/email-templates/${template}`).expect(409);
    expect(refused.body).toMatchObject({
      error: "conflict",
      details: { campaigns: [campaign.id] },
    });
    await api("get", `/email-templates/${template}`).expect(200);
    await campaign.update({ sendState: "cancelled" });
    await api("delete", `/email-templates/${template}`).expect(200);
    await api("get", `/email-templates/${template}`).expect(404);

    const wa = (await api("post", "/whatsapp-templates", { ...draft, name: "gone" }).expect(201))
      .body.data.id as number;
    // The channels do not mix: a WhatsApp template is not an e-mail one.
    await api("get", `/email-templates/${wa}`).expect(404);
    await api("delete", `/whatsapp-templates/${wa}`).expect(200);
    await api("get", `/whatsapp-templates/${wa}`).expect(404);
  });

  it("keeps to the business, the role, the plan and a token's scopes", async () => {
    const wa = (await api("post", "/whatsapp-templates", { ...draft, name: "mine" }).expect(201))
      .body.data.id as number;
    const { business: foreign, owner: foreignOwner } = await buildBusiness(t.deps.models, {
      owner: await buildUser(t.deps.models, { planCode: "gold" }),
    });
    const stranger = await apiAs(t, foreignOwner, foreign);
    await stranger("get", `/whatsapp-templates/${wa}`).expect(404);
    await stranger("delete", `/whatsapp-templates/${wa}`).expect(404);
    expect((await stranger("get", "/whatsapp-templates").expect(200)).body.data).toEqual([]);

    const seller = (await buildMember(t.deps.models, business, "sales")).user;
    await (await apiAs(t, seller, business))("get", "/whatsapp-templates").expect(403);

    const freeOwner = await buildUser(t.deps.models, { planCode: "free" });
    const { business: free } = await buildBusiness(t.deps.models, { owner: freeOwner });
    const onFree = await apiAs(t, freeOwner, free);
    expect((await onFree("get", "/email-templates").expect(402)).body.error).toBe("plan_limit");

    const ctx = await contextFor(t.deps, business, owner);
    const { token } = await createPersonalToken(t.deps, ctx, {
      name: "read templates",
      scopes: ["whatsapp-templates:read"],
      expiresInDays: 7,
    });
    const bearer = (method: "get" | "post", path: string) =>
      request(t.app)[method](`/api/v1${path}`).set("Authorization", `Bearer ${token}`);
    await bearer("get", `/whatsapp-templates/${wa}`).expect(200);
    const write = await bearer("post", "/whatsapp-templates").send(draft).expect(403);
    expect(write.body).toMatchObject({
      error: "insufficient_scope",
      details: { scope: "whatsapp-templates:write" },
    });
    const other = await bearer("get", "/email-templates").expect(403);
    expect(other.body.details.scope).toBe("email-templates:read");
  });
});
