import { z } from "zod";
import { isoTime, named } from "../../http/apiResponse";
import { customerFilterOut } from "../customers/apiResponses";

/** What the segments API answers (presenters/segment.ts). */
export const segmentSchema = named(
  "Segment",
  z.strictObject({
    id: z.number().int(),
    name: z.string(),
    filter: customerFilterOut,
    createdById: z.number().int().nullable(),
    createdAt: isoTime(),
    updatedAt: isoTime(),
    customersUrl: z.string(),
  }),
);

export const segmentExample: z.input<typeof segmentSchema> = {
  id: 5,
  name: "VIPs in Pune",
  filter: { tags: ["vip"], q: "pune" },
  createdById: 3,
  createdAt: "2026-11-10T08:00:00.000Z",
  updatedAt: "2026-11-10T08:00:00.000Z",
  customersUrl: "/api/v1/segments/5/customers",
};
