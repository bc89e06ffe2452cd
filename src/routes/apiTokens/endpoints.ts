import { routes, type Endpoint } from "../../http/endpoint";
import type { TenantContext } from "../../tenancy/context";
import {
  confirmRevoke,
  createToken,
  loadToken,
  renderCreateFailure,
  revokeToken,
  showTokens,
  tokenScopeNames,
} from "./pages";
import { createTokenSchema, personalTokenParams } from "./schema";

const page = routes({ auth: "page" });

/**
 * Personal API tokens: a member's own, for the current business. Any member may have them: a
 * token acts with its member's role, so it can never do more than they can.
 */
export const apiTokenEndpoints: Endpoint[] = [
  page.get("/profile/api-tokens", "member", { handler: showTokens }),
  page.post("/profile/api-tokens", "member", {
    body: (_ctx: TenantContext) => createTokenSchema(tokenScopeNames()),
    form: { render: renderCreateFailure },
    handler: createToken,
  }),
  page.get("/profile/api-tokens/:tokenId/revoke", "member", {
    params: personalTokenParams,
    load: loadToken,
    handler: confirmRevoke,
  }),
  page.post("/profile/api-tokens/:tokenId/revoke", "member", {
    params: personalTokenParams,
    load: loadToken,
    handler: revokeToken,
  }),
];
