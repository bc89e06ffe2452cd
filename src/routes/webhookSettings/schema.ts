import { z } from "zod";
import { idParams } from "../../http/params";

const asList = (value: unknown): unknown[] =>
  value === undefined || value === null || value === ""
    ? []
    : Array.isArray(value)
      ? value
      : [value];

/** The endpoint form: URL, a note, and the events (checkboxes named "events"). */
export const endpointFormSchema = z.object({
  url: z
    .string()
    .trim()
    .min(1, { error: "Enter the URL that receives the events." })
    .max(2048, { error: "Use a URL of at most 2,048 characters." }),
  description: z.string().trim().max(200, { error: "At most 200 characters." }).default(""),
  events: z.preprocess((v) => asList(v).map(String), z.array(z.string().max(64)).max(50)),
});

export const endpointParams = idParams("endpointId");
export const deliveryParams = idParams("endpointId", "deliveryId");

export const logQuery = z.object({
  before: z.coerce.number().int().positive().optional(),
});

/** Destructive actions are posted from their confirmation page, which sends confirm=yes. */
export const confirmedSchema = z.object({
  confirm: z.literal("yes", { error: "Confirm first." }),
});
