import request from "supertest";
import { apiAs, useApiBusiness } from "../../../test/support/api";
import { buildCustomer, buildMember, buildUser } from "../../../test/factories";
import { buildLead } from "../../../test/factoriesLeads";
import { FakeClock } from "../../lib/clock";
import { leadSchema } from "./schema";
import {
  conversionSchema,
  leadEventSchema,
  leadNoteSchema,
  nurtureResultSchema,
} from "./workApiSchema";

const clock = new FakeClock("2026-12-01T06:00:00Z");

describe("leads API: notes, timeline, stage, nurture, conversion", () => {
  const env = useApiBusiness({ planCode: "enterprise", clock });
  const { api } = env;

  it("adds notes and pages them newest first by cursor", async () => {
    const lead = await buildLead(env.t.deps.models, env.business, { ownerId: env.owner.id });
    for (const text of ["First call", "Sent the price list", "Asked for a demo"]) {
      const res = await api("post", `/leads/${lead.id}/notes`, { body: text }).expect(201);
      expect(leadNoteSchema.safeParse(res.body.data).success).toBe(true);
      expect(res.body.data).toMatchObject({ body: text, author: { id: env.owner.id } });
    }
    await api("post", `/leads/${lead.id}/notes`, { body: "   " }).expect(422);
    await api("post", `/leads/${lead.id}/notes`, { body: "x", extra: 1 }).expect(422);
    const first = await api("get", `/leads/${lead.id}/notes?limit=2`).expect(200);
    expect(first.body.data.map((n: { body: string }) => n.body)).toEqual([
      "Asked for a demo",
      "Sent the price list",
    ]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await api(
      "get",
      `/leads/${lead.id}/notes?limit=2&cursor=${encodeURIComponent(first.body.nextCursor as string)}`,
    ).expect(200);
    expect(second.body.data.map((n: { body: string }) => n.body)).toEqual(["First call"]);
    expect(second.body.nextCursor).toBeNull();
  });

  it("moves a lead's stage (not to Converted) and lists the move on its timeline", async () => {
    const lead = await buildLead(env.t.deps.models, env.business, { ownerId: env.owner.id });
    const moved = await api("post", `/leads/${lead.id}/stage`, {
      stage: "contacted",
      statusReason: "Called once",
    }).expect(200);
    expect(leadSchema.safeParse(moved.body.data).success).toBe(true);
    expect(moved.body.data).toMatchObject({ stage: "contacted", statusReason: "Called once" });
    await api("post", `/leads/${lead.id}/stage`, { stage: "converted" }).expect(422);
    await api("post", `/leads/${lead.id}/stage`, { stage: "nosuch" }).expect(422);
    const events = await api("get", `/leads/${lead.id}/events`).expect(200);
    expect(events.body.data.every((e: unknown) => leadEventSchema.safeParse(e).success)).toBe(true);
    expect(events.body.data[0]).toMatchObject({
      kind: "updated",
    });
    expect(events.body.data.map((e: { kind: string }) => e.kind)).toContain("stage_changed");
  });

  it("plans nurture tasks once per run key", async () => {
    const lead = await buildLead(env.t.deps.models, env.business, { ownerId: env.owner.id });
    const body = { leadIds: [lead.id], runKey: "00112233aabbccdd" };
    const res = await api("post", "/leads/nurture", body).expect(201);
    expect(nurtureResultSchema.safeParse(res.body.data).success).toBe(true);
    expect(res.body.data).toMatchObject({ created: 3, skipped: 0, leads: 1 });
    const again = await api("post", "/leads/nurture", body).expect(200);
    expect(again.body.data).toMatchObject({ created: 0, skipped: 3 });
    expect(await env.t.deps.models.Task.count({ where: { leadId: lead.id } })).toBe(3);
  });

  it("converts a lead into the matching customer and a deal, once", async () => {
    const customer = await buildCustomer(env.t.deps.models, env.business, {
      name: "Rahul Goyal",
      phoneE164: "+919811022345",
    });
    const lead = await buildLead(env.t.deps.models, env.business, {
      firstName: "Rahul",
      phoneE164: "+919811022345",
      ownerId: env.owner.id,
    });
    const res = await api("post", `/leads/${lead.id}/convert`, {
      title: "Retail rollout",
      amountMinor: 15_000_000,
    }).expect(201);
    expect(conversionSchema.safeParse(res.body.data).success).toBe(true);
    expect(res.body.data).toMatchObject({ customerId: customer.id, matched: true });
    const deal = await env.t.deps.models.Deal.findByPk(res.body.data.dealId as number);
    expect(deal).toMatchObject({ amountMinor: 15_000_000, leadId: lead.id });
    await api("post", `/leads/${lead.id}/convert`, { title: "Again" }).expect(409);
  });

  it("keeps sales to their own leads and documents every operation", async () => {
    const seller = await buildUser(env.t.deps.models);
    await buildMember(env.t.deps.models, env.business, "sales", seller);
    const sales = await apiAs(env.t, seller, env.business);
    const other = await buildLead(env.t.deps.models, env.business, { ownerId: env.owner.id });
    await sales("get", `/leads/${other.id}/notes`).expect(404);
    await sales("post", `/leads/${other.id}/stage`, { stage: "contacted" }).expect(404);
    const doc = await request(env.t.app).get("/api/v1/openapi.json").expect(200);
    const paths = doc.body.paths as Record<string, Record<string, unknown>>;
    expect(Object.keys(paths["/api/v1/leads/{leadId}/notes"] ?? {}).sort()).toEqual([
      "get",
      "post",
    ]);
    expect(paths["/api/v1/leads/{leadId}/events"]?.get).toBeDefined();
    expect(paths["/api/v1/leads/{leadId}/stage"]?.post).toBeDefined();
    expect(paths["/api/v1/leads/{leadId}/convert"]?.post).toBeDefined();
    expect(paths["/api/v1/leads/nurture"]?.post).toBeDefined();
  });
});
