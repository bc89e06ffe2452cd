import { endpoint, type Endpoint } from "../../http/endpoint";
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

/** The team of the current business: members, roles and invitations. */
export const teamEndpoints: Endpoint[] = [
  endpoint({
    method: "get",
    path: "/team",
    auth: "page",
    permission: "team.view",
    handler: showTeam,
  }),
  endpoint({
    method: "post",
    path: "/team/invitations",
    auth: "page",
    permission: "team.invite",
    body: inviteSchema,
    form: { render: renderInviteFailure },
    handler: invite,
  }),
  endpoint({
    method: "post",
    path: "/team/invitations/:invitationId/revoke",
    auth: "page",
    permission: "team.invite",
    params: invitationParams,
    load: loadInvitation,
    handler: revoke,
  }),
  endpoint({
    method: "post",
    path: "/team/members/:membershipId/role",
    auth: "page",
    permission: "team.manage",
    params: membershipParams,
    load: loadMembership,
    body: roleSchema,
    form: { render: renderRoleFailure },
    handler: setRole,
  }),
  endpoint({
    method: "post",
    path: "/team/members/:membershipId/remove",
    auth: "page",
    permission: "team.manage",
    params: membershipParams,
    load: loadMembership,
    handler: remove,
  }),
];
