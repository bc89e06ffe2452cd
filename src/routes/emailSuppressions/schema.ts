import { z } from "zod";
import { idParams, recordId } from "../../http/params";

export const suppressionParams = idParams("emailSuppressionId");

/** The list's search (part of an address) and its "Older" keyset. */
export const suppressionListQuery = z.object({
  q: z.string().max(191, { error: "At most 191 characters." }).optional(),
  before: recordId.optional(),
});
