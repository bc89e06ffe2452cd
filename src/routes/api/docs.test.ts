import request from "supertest";
import { z } from "zod";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { apiAs } from "../../../test/support/api";
import {
  buildBusiness,
  buildCustomer,
  buildImport,
  buildMember,
  buildNote,
  buildSegment,
  buildTask,
  buildUser,
} from "../../../test/factories";
import { buildTicket, buildTicketMessage } from "../../../test/factoriesTickets";
import { buildDeal } from "../../../test/factoriesDeals";
import { buildLead } from "../../../test/factoriesLeads";
import { buildCampaign } from "../../../test/factoriesCampaigns";
import { openApiDocument } from "../../http/openapi";
import { endpoints } from "../index";

/** The document as served, the reference page, and real answers against their declared schemas. */
describe("API reference", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("serves the OpenAPI document at /api/v1/openapi.json, outside the envelope", async () => {
    const res = await request(t.app).get("/api/v1/openapi.json").expect(200);
    expect(res.headers["content-type"]).toMatch(/application\/json/);
    expect(res.body.openapi).toBe("3.1.0");
    expect(res.body).toEqual(JSON.parse(JSON.stringify(openApiDocument(endpoints))));
  });

  it("renders /api/docs with every operation, its examples and the schemas, from local assets", async () => {
    const res = await request(t.app).get("/api/docs").expect(200);
    for (const endpoint of endpoints.filter((e) => e.auth === "api"))
      expect(res.text).toContain(
        `data-operation="${endpoint.method.toUpperCase()} ${endpoint.path.replace(/:(\w+)/g, "{$1}")}"`,
      );
    expect(res.text).toContain('id="schema-Customer"');
    expect(res.text).toContain("<code>Authorization: Bearer</code>");
    expect(res.text).toContain("<code>customers:write</code>");
    expect(res.text).toContain("crm_pat_");
    expect(res.text).toContain("&quot;nextCursor&quot;");
    // Nothing from another host: styles and scripts are the app's own.
    expect(res.text).not.toMatch(/(?:src|href)="(?:https?:)?\/\/(?!localhost)/);
    await request(t.app).get("/css/apiDocs.css").expect(200);
  });

  it("answers what it declares: every GET's data fits the endpoint's response schema", async () => {
    // The top plan (enterprise): every feature's endpoints answer.
    const owner = await buildUser(t.deps.models, { planCode: "enterprise" });
    const { business } = await buildBusiness(t.deps.models, { owner });
    await buildMember(t.deps.models, business, "sales");
    const customer = await buildCustomer(t.deps.models, business, { name: "Asha", tags: ["vip"] });
    const note = await buildNote(t.deps.models, { customerId: customer.id });
    const task = await buildTask(t.deps.models, business, { customerId: customer.id });
    const segment = await buildSegment(t.deps.models, { businessId: business.id });
    const started = await buildImport(t.deps.models, { businessId: business.id });
    const ticket = await buildTicket(t.deps.models, business, { customerId: customer.id });
    await buildTicketMessage(t.deps.models, ticket);
    const lead = await buildLead(t.deps.models, business);
    const deal = await buildDeal(t.deps.models, business, { customerId: customer.id });
    const campaign = await buildCampaign(t.deps.models, business);
    const ids: Record<string, number> = {
      campaignId: campaign.id,
      dealId: deal.id,
      leadId: lead.id,
      customerId: customer.id,
      noteId: note.id,
      taskId: task.id,
      segmentId: segment.id,
      importId: started.id,
      ticketId: ticket.id,
    };
    const api = await apiAs(t, owner, business);
    const checked: string[] = [];
    for (const endpoint of endpoints) {
      const response = endpoint.response;
      if (endpoint.auth !== "api" || endpoint.method !== "get" || !response) continue;
      const names = [...endpoint.path.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
      if (names.some((n) => ids[n] === undefined)) continue;
      const path = endpoint.path
        .replace(/^\/api\/v1/, "")
        .replace(/:(\w+)/g, (_m, n: string) => String(ids[n]));
      const res = await api("get", path);
      expect({ path, status: res.status }).toEqual({ path, status: response.status });
      if (response.contentType) {
        expect(res.headers["content-type"]).toContain(response.contentType);
        continue;
      }
      const body: unknown = response.bare ? res.body : res.body.data;
      const schema = response.list ? z.array(response.schema) : response.schema;
      const parsed = schema.safeParse(body);
      expect({ path, problems: parsed.success ? [] : parsed.error.issues }).toEqual({
        path,
        problems: [],
      });
      if (response.list) expect(res.body).toHaveProperty("nextCursor");
      checked.push(path);
    }
    expect(checked).toEqual(
      expect.arrayContaining([
        "/customers",
        `/customers/${customer.id}`,
        "/tasks",
        "/segments",
        `/tickets/${ticket.id}/messages`,
      ]),
    );
  });
});
