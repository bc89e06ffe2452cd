import { z } from "zod";
import { idParams } from "../../http/params";
import { socialNetworks } from "../../models/SocialAccount";

export const networkParams = z.object({ network: z.enum(socialNetworks) });
export const accountParams = idParams("accountId");

/** Connect or reconnect (reconnect=1 skips the plan check: the account is already counted). */
export const connectSchema = z.object({
  reconnect: z
    .enum(["0", "1"])
    .default("0")
    .transform((value) => value === "1"),
});

/** What a network sends back: a code and our state, or an error when the person said no. */
export const callbackQuery = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(512).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(500).optional(),
});
