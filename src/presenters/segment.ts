import { segmentFilter } from "../commands/customers/segments";
import type { Segment } from "../models";

/** A saved segment: its filter in the list's query shape, and where to read its customers. */
export function presentSegment(segment: Segment) {
  return {
    id: segment.id,
    name: segment.name,
    filter: segmentFilter(segment),
    createdById: segment.createdById,
    createdAt: segment.createdAt.toISOString(),
    updatedAt: segment.updatedAt.toISOString(),
    customersUrl: `/api/v1/segments/${segment.id}/customers`,
  };
}

export type PresentedSegment = ReturnType<typeof presentSegment>;
