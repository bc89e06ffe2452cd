import { routes, type Endpoint } from "../../http/endpoint";
import {
  renderAnalyticsFailure,
  renderTargetsFailure,
  saveTargets,
  showAnalytics,
  showTargets,
} from "./pages";
import { analyticsQuerySchema, targetsFormFor, targetsQuerySchema } from "./schema";

const page = routes({ auth: "page", feature: "analytics" });

/** Sales analytics (issue 12, item 9) and the owner's monthly targets. */
export const analyticsEndpoints: Endpoint[] = [
  page.get("/analytics", "analytics.view", {
    query: analyticsQuerySchema,
    form: { render: renderAnalyticsFailure },
    handler: showAnalytics,
  }),
  page.get("/analytics/targets", "targets.manage", {
    query: targetsQuerySchema,
    handler: showTargets,
  }),
  page.post("/analytics/targets", "targets.manage", {
    body: targetsFormFor,
    form: { render: renderTargetsFailure, shows: ["validation_failed"] },
    handler: saveTargets,
  }),
];
