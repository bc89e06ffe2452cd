import { routes, type Endpoint } from "../../http/endpoint";
import {
  accept,
  acceptSchema,
  loadInvitation,
  renderAcceptFailure,
  showAccept,
  tokenSchema,
} from "./pages";

const page = routes({ auth: "page" });

/** Accepting an invitation: as the signed-in invitee, or by creating the invitee's account. */
export const invitationEndpoints: Endpoint[] = [
  page.get("/invitations/accept", "anyone", {
    query: tokenSchema,
    load: loadInvitation,
    handler: showAccept,
  }),
  page.post("/invitations/accept", "anyone", {
    load: loadInvitation,
    body: acceptSchema,
    form: { render: renderAcceptFailure },
    handler: accept,
  }),
];
