import { routes, type Endpoint } from "../../http/endpoint";
import { callback, check, connect, disconnect, loadAccount, showAccounts } from "./pages";
import { accountParams, callbackQuery, connectSchema, networkParams } from "./schema";

/**
 * Social accounts (issue 14): connect LinkedIn, Facebook Pages, Instagram business accounts and X
 * through each network's OAuth flow; reconnect, check and disconnect. Marketers and above
 * (campaigns.manage), on plans with the social feature; the plan limits how many are connected.
 */
const page = routes({ auth: "page", feature: "social" });
const base = "/social/accounts";
const one = { params: accountParams, load: loadAccount };

export const socialAccountEndpoints: Endpoint[] = [
  page.get(base, "campaigns.manage", { handler: showAccounts }),
  // A GET link, not a form: a form's POST redirected to the network breaks CSP form-action 'self'.
  // The state it stores is bound to this session, so a forged start connects nobody.
  page.get(`${base}/:network/connect`, "campaigns.manage", {
    params: networkParams,
    query: connectSchema,
    handler: connect,
  }),
  page.get(`${base}/:network/callback`, "campaigns.manage", {
    params: networkParams,
    query: callbackQuery,
    handler: callback,
  }),
  page.post(`${base}/:accountId/disconnect`, "campaigns.manage", { ...one, handler: disconnect }),
  page.post(`${base}/:accountId/check`, "campaigns.manage", { ...one, handler: check }),
];
