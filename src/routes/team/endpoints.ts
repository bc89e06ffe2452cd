import { routes, type Endpoint } from "../../http/endpoint";
import {
  invite,
  loadInvitation,
  loadMembership,
  remove,
  renderInviteFailure,
  renderRoleFailure,
  revoke,
  setRole,
  showTeam,
} from "./pages";
import { invitationParams, inviteSchema, membershipParams, roleSchema } from "./schema";

const page = routes({ auth: "page" });

/** The team of the current business: members, roles and invitations. */
export const teamEndpoints: Endpoint[] = [
  page.get("/team", "team.view", { handler: showTeam }),
  page.post("/team/invitations", "team.invite", {
    body: inviteSchema,
    form: { render: renderInviteFailure },
    handler: invite,
  }),
  page.post("/team/invitations/:invitationId/revoke", "team.invite", {
    params: invitationParams,
    load: loadInvitation,
    handler: revoke,
  }),
  page.post("/team/members/:membershipId/role", "team.manage", {
    params: membershipParams,
    load: loadMembership,
    body: roleSchema,
    form: { render: renderRoleFailure },
    handler: setRole,
  }),
  page.post("/team/members/:membershipId/remove", "team.manage", {
    params: membershipParams,
    load: loadMembership,
    handler: remove,
  }),
];
