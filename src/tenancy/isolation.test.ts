import request from "supertest";
import { sessionHandle } from "../lib/sessionHandles";
import { newToken } from "../lib/tokens";
import { buildTestApp, type TestApp } from "../../test/support/app";
import { csrfFrom, signIn } from "../../test/support/forms";
import { listRoutes, type RouteInfo } from "../../test/support/routes";
import { buildWebhookDelivery, buildWebhookEndpoint } from "../../test/factoriesWebhooks";
import { buildTicket } from "../../test/factoriesTickets";
import { buildDeal, buildPipeline } from "../../test/factoriesDeals";
import { buildLead } from "../../test/factoriesLeads";
import {
  buildBusiness,
  buildCustomer,
  buildMember,
  buildSession,
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

const recordsOfA: Record<string, Factory> = {
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
  ticketId: async (t, a) => {
    const business = await t.deps.models.Business.findByPk(a.businessId);
    return String((await buildTicket(t.deps.models, business!, { subject: "Ticket of A" })).id);
  },
  leadId: async (t, a) => {
    const business = await t.deps.models.Business.findByPk(a.businessId);
    return String((await buildLead(t.deps.models, business!, { firstName: "Lead of A" })).id);
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
  handle: async (t, a) =>
    sessionHandle((await buildSession(t.deps.models, { userId: a.ownerId })).sid),
};

async function customerOfA(t: TestApp, a: TenantA) {
  const business = await t.deps.models.Business.findByPk(a.businessId);
  return buildCustomer(t.deps.models, business!, { name: "Customer of A" });
}

/** Params that name no tenant record, and why. */
const exempt: Record<string, string> = {
  id: "/dev/outbox message ids: a development-only page, absent in production",
  file: "/avatars file names: random, unguessable, served only to signed-in people",
};

describe("tenant isolation", () => {
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
