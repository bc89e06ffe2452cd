import { endpoint, type Endpoint } from "../../http/endpoint";
import {
  accept,
  acceptSchema,
  loadInvitation,
  renderAcceptFailure,
  showAccept,
  tokenSchema,
} from "./pages";

/** Accepting an invitation: as the signed-in invitee, or by creating the invitee's account. */
export const invitationEndpoints: Endpoint[] = [
  endpoint({
    method: "get",
    path: "/invitations/accept",
    auth: "page",
    permission: "anyone",
    query: tokenSchema,
    load: loadInvitation,
    handler: showAccept,
  }),
  endpoint({
    method: "post",
    path: "/invitations/accept",
    auth: "page",
    permission: "anyone",
    load: loadInvitation,
    body: acceptSchema,
    form: { render: renderAcceptFailure },
    handler: accept,
  }),
];
