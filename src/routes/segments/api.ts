import {
  deleteSegment,
  saveSegment,
  segmentFilter,
  segmentsOf,
  updateSegment,
} from "../../commands/customers/segments";
import type { ApiCall } from "../../http/endpoint";
import { pageInMemory, type pageQuerySchema } from "../../http/pagination";
import { page, reply } from "../../http/outcomes";
import type { Segment } from "../../models";
import { presentSegment } from "../../presenters/segment";
import { customerPage } from "../customers/apiPresent";
import type {
  apiPageSchema,
  segmentCreateSchema,
  segmentParams,
  segmentUpdateSchema,
} from "./schema";

type OneSegment = { params: typeof segmentParams; record: Segment };

/** GET /api/v1/segments */
export async function listApi({ deps, ctx, query }: ApiCall<{ query: typeof pageQuerySchema }>) {
  const { rows, nextCursor } = pageInMemory(await segmentsOf(deps, ctx), query, (s) => s.id);
  return page(rows.map(presentSegment), nextCursor, "Segments.");
}

/** POST /api/v1/segments */
export async function createApi({
  deps,
  ctx,
  body,
}: ApiCall<{ body: typeof segmentCreateSchema }>) {
  const segment = await saveSegment(deps, ctx, body);
  return reply(presentSegment(segment), "Segment saved.", {
    status: 201,
    location: `/api/v1/segments/${segment.id}`,
  });
}

/** GET /api/v1/segments/:segmentId */
export function showApi({ record: segment }: ApiCall<OneSegment>) {
  return reply(presentSegment(segment), "Segment.");
}

/** PATCH /api/v1/segments/:segmentId */
export async function updateApi({
  deps,
  ctx,
  body,
  record: segment,
}: ApiCall<OneSegment & { body: typeof segmentUpdateSchema }>) {
  await updateSegment(deps, ctx, segment, body);
  return reply(presentSegment(segment), "Segment updated.");
}

/** DELETE /api/v1/segments/:segmentId */
export async function deleteApi({ deps, ctx, record: segment }: ApiCall<OneSegment>) {
  await deleteSegment(deps, ctx, segment);
  return reply({ id: segment.id }, "Segment deleted.");
}

/**
 * GET /api/v1/segments/:segmentId/customers: a member limited to their own customers sees only
 * those in any segment.
 */
export async function customersApi({
  deps,
  ctx,
  query,
  record: segment,
}: ApiCall<OneSegment & { query: typeof apiPageSchema }>) {
  const { items, nextCursor } = await customerPage(deps, ctx, segmentFilter(segment), query);
  return page(items, nextCursor, `Customers in ${segment.name}.`);
}
