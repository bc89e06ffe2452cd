import { z } from "zod";
import { idParams } from "../../http/params";
import { roles } from "../../policies/permissions";

export const inviteSchema = z.object({
  email: z.string().trim().toLowerCase().email({ error: "Enter a valid e-mail address." }).max(191),
  role: z.enum(roles, { error: "Choose a role." }),
});

export const roleSchema = z.object({ role: z.enum(roles, { error: "Choose a role." }) });

export const invitationParams = idParams("invitationId");
export const membershipParams = idParams("membershipId");
