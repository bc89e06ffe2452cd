import { countCustomers } from "../../commands/customers/count";
import {
  deleteSegment,
  saveSegment,
  segmentFilter,
  segmentsOf,
} from "../../commands/customers/segments";
import type { FormFailure, LoadCall, PageCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { csrfToken } from "../../middleware/csrf";
import type { Segment } from "../../models";
import { mayChangeSegment } from "../../policies/customers";
import { describeFilter, listLink } from "../../presenters/customerList";
import type { TenantContext } from "../../tenancy/context";
import { findInBusiness } from "../../tenancy/scope";
import { customerFilterSchema } from "../../commands/customers/filter";
import type { segmentFormSchema, segmentParams } from "./schema";

type OneSegment = { params: typeof segmentParams; record: Segment };

export function loadSegment({ deps, ctx, params }: LoadCall<TenantContext, { segmentId: number }>) {
  return findInBusiness(ctx, deps.models.Segment, params.segmentId);
}

/** Saving is done from the customer list: a refusal goes back there, the filter kept. */
export function backToFilter(_call: unknown, failure: FormFailure): string {
  const filter = customerFilterSchema.safeParse(failure.values);
  return filter.success ? listLink(filter.data, {}) : "/customers";
}

/** The name's problem, a clash with another segment's name, or the filter's. */
export function segmentMessage({ errors }: FormFailure): string {
  return errors.segmentName ?? errors.name ?? errors.filter ?? "Fix the filters first.";
}

/** GET /segments: saved filters with live counts. */
export async function showSegments({ req, res, deps, ctx }: PageCall) {
  const segments = await segmentsOf(deps, ctx);
  const rows = await Promise.all(
    segments.map(async (segment) => {
      const filter = segmentFilter(segment);
      const count = await countCustomers(deps, ctx, filter);
      return {
        id: segment.id,
        name: segment.name,
        description: describeFilter(filter),
        count: count.totalCapped ? `${count.total}+` : String(count.total),
        link: listLink(filter, {}),
        canChange: mayChangeSegment(ctx, segment),
      };
    }),
  );
  res.render("segments/index", {
    title: "Segments",
    csrfToken: csrfToken(req),
    segments: rows,
  });
}

/** POST /segments: the customer list's current filter, named. */
export async function save({ deps, ctx, body }: PageCall<{ body: typeof segmentFormSchema }>) {
  const segment = await saveSegment(deps, ctx, body);
  return redirect("/segments", `Saved the segment ${segment.name}.`);
}

/** GET /segments/:segmentId: opens the customer list with the segment's filter. */
export function open({ record: segment }: PageCall<OneSegment>) {
  return redirect(listLink(segmentFilter(segment), {}));
}

/** POST /segments/:segmentId/delete */
export async function remove({ deps, ctx, record: segment }: PageCall<OneSegment>) {
  await deleteSegment(deps, ctx, segment);
  return redirect("/segments", `Deleted the segment ${segment.name}.`);
}
