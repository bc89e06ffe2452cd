import { Router, type Request } from "express";
import { z } from "zod";
import type { Deps } from "../../deps";
import {
  acceptAsNewUser,
  acceptInvitation,
  accountExists,
  openInvitation,
} from "../../commands/team";
import { startBrowserSession } from "../../lib/browserSessions";
import { parseForm, type FieldErrors } from "../../lib/forms";
import { passwordProblems } from "../../lib/passwordPolicy";
import { csrfToken } from "../../middleware/csrf";
import { flash } from "../../middleware/flash";
import type { Invitation } from "../../models";

const newMemberSchema = z
  .object({
    token: z.string().min(1),
    name: z.string().trim().min(1, { error: "Enter your name." }).max(120),
    password: z.string().max(200),
    email: z.string().optional(),
  })
  .superRefine((value, ctx) => {
    const problems = passwordProblems(value.password, { email: value.email, name: value.name });
    if (problems.length)
      ctx.addIssue({ code: "custom", path: ["password"], message: problems.join(" ") });
  });

/** Accepting an invitation: as the signed-in invitee, or by creating the invitee's account. */
export function invitationPages(deps: Deps): Router {
  const router = Router();

  async function view(
    req: Request,
    invitation: Invitation,
    token: string,
    extra: { values?: Record<string, unknown>; errors?: FieldErrors } = {},
  ) {
    const signedIn = req.currentUser;
    const hasAccount = !signedIn && (await accountExists(deps, invitation.email));
    return {
      layout: signedIn ? "main" : "public",
      title: "Join " + (invitation.business?.name ?? "the team"),
      csrfToken: csrfToken(req),
      token,
      invitation: {
        email: invitation.email,
        role: invitation.role,
        businessName: invitation.business?.name,
      },
      signedInAsInvitee: signedIn?.email === invitation.email,
      signedInAsOther: Boolean(signedIn) && signedIn?.email !== invitation.email,
      hasAccount,
      loginHref: `/login?next=${encodeURIComponent(`/invitations/accept?token=${token}`)}`,
      values: extra.values ?? {},
      errors: extra.errors ?? {},
    };
  }

  const expired = { layout: "public", title: "Invitation expired" };

  router.get("/invitations/accept", async (req, res) => {
    const token = String(req.query.token ?? "");
    const invitation = await openInvitation(deps, token);
    if (!invitation) return res.status(404).render("invitations/expired", expired);
    res.render("invitations/accept", await view(req, invitation, token));
  });

  router.post("/invitations/accept", async (req, res) => {
    const token = String((req.body as Record<string, unknown>).token ?? "");
    const invitation = await openInvitation(deps, token);
    if (!invitation) return res.status(404).render("invitations/expired", expired);
    if (req.currentUser) {
      await acceptInvitation(deps, invitation, req.currentUser);
    } else {
      const input = parseForm(newMemberSchema, { ...req.body, email: invitation.email });
      if (!input.ok) {
        res
          .status(422)
          .render(
            "invitations/accept",
            await view(req, invitation, token, { values: req.body, errors: input.errors }),
          );
        return;
      }
      const user = await acceptAsNewUser(deps, invitation, input.data);
      await startBrowserSession(req, user.id);
    }
    req.session.businessId = invitation.businessId;
    flash(req, "success", `You joined ${invitation.business?.name ?? "the business"}.`);
    res.redirect("/");
  });

  return router;
}
