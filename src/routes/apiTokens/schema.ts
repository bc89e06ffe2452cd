import { z } from "zod";
import { expiryChoices } from "../../commands/personalTokens";
import { idParams } from "../../http/params";

export const personalTokenParams = idParams("tokenId");

const messages = {
  name: "Name the token after what will use it (e.g. “Zapier sync”).",
  nameLong: "Keep the name under 80 characters.",
  expiry: `Choose when the token expires: ${expiryChoices.join(", ")} days.`,
  scopes: "Choose at least one scope.",
};

/** The form lists checkboxes `scopes` (one value or several) and an expiry in days. */
export function createTokenSchema(known: readonly string[]) {
  return z.object({
    name: z
      .string({ error: messages.name })
      .trim()
      .min(1, messages.name)
      .max(80, messages.nameLong),
    scopes: z.preprocess(
      (v) => (v === undefined || v === "" ? [] : Array.isArray(v) ? v : [v]),
      z
        .array(z.enum(known as [string, ...string[]], { error: messages.scopes }))
        .min(1, messages.scopes),
    ),
    expiresInDays: z.coerce
      .number({ error: messages.expiry })
      .refine(
        (v): v is (typeof expiryChoices)[number] =>
          (expiryChoices as readonly number[]).includes(v),
        {
          error: messages.expiry,
        },
      ),
  });
}
export type CreateTokenInput = z.output<ReturnType<typeof createTokenSchema>>;
