import { createLead, deleteLead, updateLead } from "../../commands/leads/writes";
import { listLeads, loadLead } from "../../commands/leads/list";
import {
  businessLeadStages,
  checkStageChoice,
  checkStageFilter,
} from "../../commands/leads/stages";
import type { ApiCall } from "../../http/endpoint";
import { page, reply } from "../../http/outcomes";
import { decodeCursor, idPosition, pageOf } from "../../http/pagination";
import type { Lead } from "../../models";
import { presentLead } from "../../presenters/leads";
import type {
  apiCreateLeadSchema,
  apiLeadListSchema,
  apiUpdateLeadSchema,
  leadParams,
} from "./schema";

type OneLead = { params: typeof leadParams; record: Lead };

/** GET /api/v1/leads: the page's filters, newest first, by cursor (sales: their own leads). */
export async function listApi({ deps, ctx, query }: ApiCall<{ query: typeof apiLeadListSchema }>) {
  const { cursor, limit, ...filter } = query;
  if (filter.stage !== undefined) await checkStageFilter(deps, ctx, filter.stage);
  const beforeId = cursor ? decodeCursor(idPosition, cursor).id : undefined;
  const rows = await listLeads(deps, ctx, filter, { limit, beforeId });
  const { rows: items, nextCursor } = pageOf(rows, limit, (last) => ({ id: last.id }));
  return page(
    items.map((lead) => presentLead(lead)),
    nextCursor,
    `${items.length} lead(s).`,
  );
}

/** POST /api/v1/leads */
export async function createApi({
  deps,
  ctx,
  body,
}: ApiCall<{ body: ReturnType<typeof apiCreateLeadSchema> }>) {
  if (body.stage !== undefined)
    checkStageChoice(await businessLeadStages(deps, ctx.business.id), body.stage);
  const lead = await createLead(deps, ctx, body);
  const created = await loadLead(deps, ctx, lead.id);
  return reply(presentLead(created), "Lead created.", {
    status: 201,
    location: `/api/v1/leads/${lead.id}`,
  });
}

/** GET /api/v1/leads/:leadId */
export function showApi({ record: lead }: ApiCall<OneLead>) {
  return reply(presentLead(lead), "Lead.");
}

/** PATCH /api/v1/leads/:leadId: reloaded after, so the owner's name follows its id. */
export async function updateApi({
  deps,
  ctx,
  body,
  record: lead,
}: ApiCall<OneLead & { body: ReturnType<typeof apiUpdateLeadSchema> }>) {
  if (body.stage !== undefined)
    checkStageChoice(await businessLeadStages(deps, ctx.business.id), body.stage, lead);
  await updateLead(deps, ctx, lead, body);
  await lead.reload({
    include: [{ model: deps.models.User, as: "owner", attributes: ["id", "name"] }],
  });
  return reply(presentLead(lead), "Lead updated.");
}

/** DELETE /api/v1/leads/:leadId */
export async function deleteApi({ deps, ctx, record: lead }: ApiCall<OneLead>) {
  await deleteLead(deps, ctx, lead);
  return reply({ id: lead.id }, "Lead deleted.");
}
