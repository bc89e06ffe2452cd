import { randomUUID } from "node:crypto";
import request from "supertest";
import { issueInvoice } from "../commands/invoices/issue";
import { sessionHandle } from "../lib/sessionHandles";
import { newToken } from "../lib/tokens";
import { buildTestApp, type TestApp } from "../../test/support/app";
import { csrfFrom, signIn } from "../../test/support/forms";
import { listRoutes, type RouteInfo } from "../../test/support/routes";
import { buildWebhookDelivery, buildWebhookEndpoint } from "../../test/factoriesWebhooks";
import { buildTicket } from "../../test/factoriesTickets";
import { buildDeal, buildPipeline } from "../../test/factoriesDeals";
import { buildLead } from "../../test/factoriesLeads";
import { buildForm } from "../../test/factoriesForms";
import { buildCampaign } from "../../test/factoriesCampaigns";
import { buildMessageTemplate } from "../../test/factoriesMessaging";
import { buildSocialAccount } from "../../test/factoriesSocial";
import { buildSocialPost } from "../../test/factoriesSocialPosts";
import {
  buildBusiness,
  buildCustomer,
  buildMember,
  buildSession,
  buildNotification,
  buildTask,
  buildUser,
  defaultPassword,
} from "../../test/factories";

/**
 * Tenant isolation, for every endpoint that takes an id — including endpoints added later, since
 * the walk reads the endpoint tables the app is built from: a member of business B asks for
 * business A's records and must get 404 every time. A new kind of :param makes this test fail
 * until it gets a factory below (or a stated reason to be exempt).
 */
type Factory = (t: TestApp, a: TenantA) => Promise<string>;
interface TenantA {
  businessId: number;
  ownerId: number;
}

/** A scheduled social post of A to a LinkedIn account of A (one target). */
async function socialPostOfA(t: TestApp, a: { businessId: number; ownerId: number }) {
  const business = await t.deps.models.Business.findByPk(a.businessId);
  const account = await buildSocialAccount(
    t.deps.models,
    business!,
    t.deps.config.secretsKey,
    "linkedin",
  );
  return buildSocialPost(t.deps.models, business!, [account], {
    scheduledAt: new Date(Date.now() + 86_400_000),
  });
}

const recordsOfA: Record<string, Factory> = {
  postId: async (t, a) => String((await socialPostOfA(t, a)).id),
  targetId: async (t, a) => {
    const post = await socialPostOfA(t, a);
    const [target] = await t.deps.models.SocialPostTarget.findAll({ where: { postId: post.id } });
    return String(target!.id);
  },
  accountId: async (t, a) => {
    const business = await t.deps.models.Business.findByPk(a.businessId);
    const account = await buildSocialAccount(
      t.deps.models,
      business!,
      t.deps.config.secretsKey,
      "linkedin",
    );
    return String(account.id);
  },
  mediaId: async (t, a) => {
    const media = await t.deps.models.SocialMedia.create({
      businessId: a.businessId,
      filePath: "social/none.png",
      originalName: "a.png",
      mimeType: "image/png",
      bytes: 10,
      width: 1,
      height: 1,
      thumbnailPath: null,
      uploadedBy: a.ownerId,
    });
    return String(media.id);
  },
  businessId: async (_t, a) => String(a.businessId),
  membershipId: async (t, a) => {
    const business = await t.deps.models.Business.findByPk(a.businessId);
    const { membership } = await buildMember(t.deps.models, business!, "sales");
    return String(membership.id);
  },
  invitationId: async (t, a) => {
    const invitation = await t.deps.models.Invitation.create({
      businessId: a.businessId,
      email: `invitee-${Date.now()}@example.test`,
      role: "sales",
      tokenHash: newToken().hash,
      invitedById: a.ownerId,
      expiresAt: new Date(Date.now() + 86_400_000),
      acceptedAt: null,
    });
    return String(invitation.id);
  },
  customerId: async (t, a) => String((await customerOfA(t, a)).id),
  duplicateId: async (t, a) => String((await customerOfA(t, a)).id),
  noteId: async (t, a) => {
    const customer = await customerOfA(t, a);
    const note = await t.deps.models.Note.create({
      businessId: a.businessId,
      customerId: customer.id,
      authorId: a.ownerId,
      body: "A note of tenant A",
    });
    return String(note.id);
  },
  segmentId: async (t, a) => {
    const segment = await t.deps.models.Segment.create({
      businessId: a.businessId,
      name: `Segment ${Date.now()}-${Math.random()}`,
      filters: JSON.stringify({ q: "a" }),
      createdById: a.ownerId,
    });
    return String(segment.id);
  },
  tagId: async (t, a) => {
    const tag = await t.deps.models.Tag.create({
      businessId: a.businessId,
      name: `tag-${Date.now()}-${Math.random()}`,
    });
    return String(tag.id);
  },
  taskId: async (t, a) => {
    const business = await t.deps.models.Business.findByPk(a.businessId);
    return String((await buildTask(t.deps.models, business!, { title: "Task of A" })).id);
  },
  notificationId: async (t, a) => {
    const notification = await buildNotification(t.deps.models, {
      businessId: a.businessId,
      userId: a.ownerId,
    });
    return String(notification.id);
  },
  ticketId: async (t, a) => {
    const business = await t.deps.models.Business.findByPk(a.businessId);
    return String((await buildTicket(t.deps.models, business!, { subject: "Ticket of A" })).id);
  },
  leadId: async (t, a) => {
    const business = await t.deps.models.Business.findByPk(a.businessId);
    return String((await buildLead(t.deps.models, business!, { firstName: "Lead of A" })).id);
  },
  // /leads/stages/:code: a custom lead stage of A, by its code (B's stage list never has it).
  code: async (t, a) => {
    const stage = await t.deps.models.LeadStage.create({
      businessId: a.businessId,
      code: `c${Math.random().toString(16).slice(2, 12)}`,
      name: `Stage of A ${Math.random()}`,
      position: 9,
      kind: "open",
    });
    return stage.code;
  },
  ruleId: async (t, a) => {
    const rule = await t.deps.models.LeadScoringRule.create({
      businessId: a.businessId,
      subject: "source",
      field: null,
      operator: "equals",
      value: "Rule of A",
      points: 5,
      position: 0,
    });
    return String(rule.id);
  },
  campaignId: async (t, a) => {
    const business = await t.deps.models.Business.findByPk(a.businessId);
    return String((await buildCampaign(t.deps.models, business!)).id);
  },
  dealId: async (t, a) => {
    const business = await t.deps.models.Business.findByPk(a.businessId);
    return String((await buildDeal(t.deps.models, business!, { title: "Deal of A" })).id);
  },
  pipelineId: async (t, a) => {
    const business = await t.deps.models.Business.findByPk(a.businessId);
    return String((await buildPipeline(t.deps.models, business!)).pipeline.id);
  },
  stageId: async (t, a) => {
    const business = await t.deps.models.Business.findByPk(a.businessId);
    return String((await buildPipeline(t.deps.models, business!)).stages[0]!.id);
  },
  endpointId: async (t, a) =>
    String((await buildWebhookEndpoint(t.deps.models, { id: a.businessId })).id),
  deliveryId: async (t, a) =>
    String((await buildWebhookDelivery(t.deps, { id: a.businessId })).delivery.id),
  importId: async (t, a) => {
    const record = await t.deps.models.Import.create({
      businessId: a.businessId,
      userId: a.ownerId,
      fileName: "customers-of-a.csv",
      fileSize: 10,
      status: "completed",
      settings: "{}",
    });
    return String(record.id);
  },
  tokenId: async (t, a) => {
    const record = await t.deps.models.PersonalToken.create({
      businessId: a.businessId,
      userId: a.ownerId,
      name: "Token of A",
      tokenHint: "crm_pat_aaaa",
      tokenHash: newToken().hash,
      scopes: "customers:read",
      expiresAt: null,
    });
    return String(record.id);
  },
  invoiceId: async (t, a) => {
    const invoice = await issueInvoice(t.deps, {
      businessId: a.businessId,
      paymentRef: `pay_isolation_${a.businessId}`,
      kind: "invoice",
      lines: [{ description: "Gold plan of A", amountMinor: 99_900 }],
    });
    return String(invoice.id);
  },
  paymentId: async (t, a) => {
    const unique = `${a.businessId}_${Math.random().toString(36).slice(2, 10)}`;
    const payment = await t.deps.models.Payment.create({
      businessId: a.businessId,
      userId: a.ownerId,
      orderId: `order_isolation_${unique}`,
      receipt: `b${unique}`,
      purpose: "upgrade",
      planCode: "gold",
      billingInterval: "month",
      listMinor: 249_900,
      creditMinor: 0,
      taxableMinor: 249_900,
      taxMinor: 44_982,
      amountMinor: 294_882,
      status: "created",
    });
    return String(payment.id);
  },
  formId: async (t, a) => {
    const business = await t.deps.models.Business.findByPk(a.businessId);
    return String((await buildForm(t.deps.models, business!, { title: "Form of A" })).id);
  },
  // WhatsApp (/campaigns/templates) and e-mail (/email-templates) templates share the table.
  templateId: async (t, a) => {
    const business = await t.deps.models.Business.findByPk(a.businessId);
    return String((await buildMessageTemplate(t.deps.models, business!)).id);
  },
  // /api/v1/email-templates/:emailTemplateId: an e-mail template of A (a WhatsApp one is 404 anyway).
  emailTemplateId: async (t, a) => {
    const business = await t.deps.models.Business.findByPk(a.businessId);
    const template = await buildMessageTemplate(t.deps.models, business!, {
      channel: "email",
      subject: "Hello",
      htmlBody: '<a href="{{unsubscribe_url}}">Unsubscribe</a>',
    });
    return String(template.id);
  },
  // /settings/email-suppressions/:emailSuppressionId/delete: an address A suppressed.
  emailSuppressionId: async (t, a) => {
    const row = await t.deps.models.EmailSuppression.create({
      businessId: a.businessId,
      email: `bounced-${randomUUID()}@example.test`,
      reason: "550 5.1.1 No such user",
      campaignId: null,
      customerId: null,
    });
    return String(row.id);
  },
  whatsappTemplateId: async (t, a) => {
    const business = await t.deps.models.Business.findByPk(a.businessId);
    return String((await buildMessageTemplate(t.deps.models, business!)).id);
  },
  // /forms/:formId/fields/:fieldKey: a field key of A's form (the form's id is A's already).
  fieldKey: async () => "f1",
  handle: async (t, a) =>
    sessionHandle((await buildSession(t.deps.models, { userId: a.ownerId })).sid),
};

async function customerOfA(t: TestApp, a: TenantA) {
  const business = await t.deps.models.Business.findByPk(a.businessId);
  return buildCustomer(t.deps.models, business!, { name: "Customer of A" });
}

/** Params that name no tenant record, and why. */
const exempt: Record<string, string> = {
  network:
    "/social/accounts/<network>/connect|callback names a social network (linkedin, facebook, instagram, x), not a record",
  code: "/social/templates/<code>/use names an occasion of the code catalogue (like a plan), not a record",
  key: "/m/social/<key>: HMAC-signed public addresses of post pictures that networks fetch; the key names its own business",
  id: "/dev/outbox message ids: a development-only page, absent in production",
  file: "/avatars file names: random, unguessable, served only to signed-in people",
  plan: "/pricing/<plan> names a plan of the public catalogue, not a tenant's record",
  slug: "/f/<slug> is a published form's public page: anyone may open and send it, by design",
  token:
    "/t/c/<token>, /u/<token> (and the pixel /t/o/<file>): HMAC-signed tracking and unsubscribe tokens that name their own business (routes/tracking/tracking.test.ts walks them across businesses)",
};

describe("tenant isolation", () => {
  // One test walks every route with an id (hundreds of requests): 30 s ran out beside another
  // worker on a loaded machine.
  jest.setTimeout(120_000);
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("answers 404 to a member of another business on every route that takes an id", async () => {
    const { business: a, owner: ownerA } = await buildBusiness(t.deps.models, { name: "Tenant A" });
    // B is on the top plan so no feature gate answers first: the test is about scoping.
    const planOwnerB = await buildUser(t.deps.models, { planCode: "enterprise" });
    const { owner: ownerB } = await buildBusiness(t.deps.models, {
      name: "Tenant B",
      owner: planOwnerB,
    });
    const tenantA = { businessId: a.id, ownerId: ownerA.id };

    const browser = request.agent(t.app);
    await signIn(browser, ownerB.email, defaultPassword);
    const csrf = csrfFrom(await browser.get("/team"));
    const apiLogin = await request(t.app)
      .post("/api/v1/auth/login")
      .send({ email: ownerB.email, password: defaultPassword });
    const accessToken = apiLogin.body.data?.accessToken as string;
    expect(accessToken).toBeTruthy();

    const routes = listRoutes(t.deps.config).filter((route) => route.params.length > 0);
    const unknown = routes
      .flatMap((r) => r.params)
      .filter((p) => !(p in recordsOfA) && !(p in exempt));
    expect({ paramsWithoutFactory: [...new Set(unknown)] }).toEqual({ paramsWithoutFactory: [] });

    const checked: string[] = [];
    const leaks: string[] = [];
    for (const route of routes) {
      if (route.params.some((p) => p in exempt)) continue;
      let path = route.path;
      for (const param of route.params)
        path = path.replace(`:${param}`, await recordsOfA[param]!(t, tenantA));
      const status = await call(route, path);
      checked.push(`${route.method} ${route.path}`);
      if (status !== 404) leaks.push(`${route.method} ${path} → ${status}`);
    }
    expect(leaks).toEqual([]);
    expect(checked.length).toBeGreaterThanOrEqual(5);

    async function call(route: RouteInfo, path: string): Promise<number> {
      const api = route.auth === "api";
      const base = api ? request(t.app) : browser;
      const method = route.method.toLowerCase() as "get" | "post" | "put" | "patch" | "delete";
      let req = base[method](path);
      if (api) req = req.set("Authorization", `Bearer ${accessToken}`);
      if (method !== "get")
        req = api ? req.send({}) : req.type("form").send({ _csrf: csrf, role: "sales" });
      return (await req).status;
    }
  });
});
