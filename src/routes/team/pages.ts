import { Router, type Request, type Response } from "express";
import type { Deps } from "../../deps";
import {
  changeRole,
  inviteMember,
  removeMember,
  revokeInvitation,
  teamOf,
} from "../../commands/team";
import { isAppError } from "../../errors";
import { parseForm, type FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import { requireUser } from "../../middleware/currentUser";
import { flash } from "../../middleware/flash";
import { assignableRoles, can } from "../../policies/permissions";
import { presentInvitation, presentMember } from "../../presenters/team";
import { authorize, requireBusiness, tenantOf } from "../../tenancy/context";
import { findInBusiness } from "../../tenancy/scope";
import { inviteSchema, roleSchema } from "./schema";

/** The team of the current business: members, roles and invitations. */
export function teamPages(deps: Deps): Router {
  const router = Router();
  router.use("/team", requireUser, requireBusiness);

  async function renderTeam(
    req: Request,
    res: Response,
    values: Record<string, unknown> = {},
    errors: FieldErrors = {},
    status = 200,
  ) {
    const ctx = tenantOf(req);
    authorize(ctx, "team.view");
    const { members, invitations } = await teamOf(deps, ctx);
    res.status(status).render("team/index", {
      title: "Team",
      csrfToken: csrfToken(req),
      members: members.map((m) => presentMember(ctx, m)),
      invitations: invitations.map(presentInvitation),
      canInvite: can(ctx.membership.role, "team.invite"),
      roleOptions: assignableRoles(ctx.membership.role).map((role) => ({
        value: role,
        label: role,
        selected: role === (values.role ?? "sales"),
      })),
      values,
      errors,
    });
  }

  router.get("/team", (req, res) => renderTeam(req, res));

  router.post("/team/invitations", async (req, res) => {
    const ctx = tenantOf(req);
    const input = parseForm(inviteSchema, req.body);
    if (!input.ok) return renderTeam(req, res, req.body, input.errors, 422);
    try {
      await inviteMember(deps, ctx, input.data);
    } catch (error) {
      if (!isAppError(error) || !["conflict", "plan_limit"].includes(error.id)) throw error;
      return renderTeam(req, res, req.body, { form: error.message }, error.status);
    }
    flash(req, "success", `Invitation sent to ${input.data.email}.`);
    res.redirect("/team");
  });

  router.post("/team/invitations/:invitationId/revoke", async (req, res) => {
    const ctx = tenantOf(req);
    const invitation = await findInBusiness(ctx, deps.models.Invitation, req.params.invitationId);
    await revokeInvitation(deps, ctx, invitation);
    flash(req, "success", `Invitation to ${invitation.email} withdrawn.`);
    res.redirect("/team");
  });

  router.post("/team/members/:membershipId/role", async (req, res) => {
    const ctx = tenantOf(req);
    const membership = await findInBusiness(ctx, deps.models.Membership, req.params.membershipId);
    const input = parseForm(roleSchema, req.body);
    if (!input.ok) return renderTeam(req, res, {}, input.errors, 422);
    await changeRole(deps, ctx, membership, input.data.role);
    flash(req, "success", "Role changed.");
    res.redirect("/team");
  });

  router.post("/team/members/:membershipId/remove", async (req, res) => {
    const ctx = tenantOf(req);
    const membership = await findInBusiness(ctx, deps.models.Membership, req.params.membershipId);
    await removeMember(deps, ctx, membership);
    flash(req, "success", "Member removed.");
    res.redirect("/team");
  });

  return router;
}
