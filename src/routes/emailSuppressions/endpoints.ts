import { routes, type Endpoint } from "../../http/endpoint";
import { confirmLift, lift, loadSuppression, showSuppressions, suppressionsBase } from "./pages";
import { suppressionListQuery, suppressionParams } from "./schema";

/**
 * Suppressed e-mail addresses (issue 11): the list, and lifting one after a confirmation. For
 * whoever runs campaigns, on plans with campaigns.
 */
const page = routes({ auth: "page", feature: "campaigns" });
const one = { params: suppressionParams, load: loadSuppression };

export const emailSuppressionEndpoints: Endpoint[] = [
  page.get(suppressionsBase, "campaigns.manage", {
    query: suppressionListQuery,
    handler: showSuppressions,
  }),
  page.get(`${suppressionsBase}/:emailSuppressionId/delete`, "campaigns.manage", {
    ...one,
    handler: confirmLift,
  }),
  page.post(`${suppressionsBase}/:emailSuppressionId/delete`, "campaigns.manage", {
    ...one,
    form: { back: () => suppressionsBase },
    handler: lift,
  }),
];
