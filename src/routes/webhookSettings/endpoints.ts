import { routes, type Endpoint } from "../../http/endpoint";
import {
  confirmPage,
  create,
  disable,
  enable,
  loadDelivery,
  loadEndpoint,
  remove,
  renderFailure,
  replay,
  rotate,
  show,
  showEdit,
  showList,
  showNew,
  update,
} from "./pages";
import {
  confirmedSchema,
  deliveryParams,
  endpointFormSchema,
  endpointParams,
  logQuery,
} from "./schema";

/**
 * Outbound webhooks' settings (src/webhooks): endpoints, their secrets, delivery logs and
 * replays. Under /settings/webhooks: /webhooks/… is where providers call us (inbound, webhook
 * mode). Owners and admins (webhooks.manage), on plans with the webhooks feature.
 */
const page = routes({ auth: "page", feature: "webhooks" });
const base = "/settings/webhooks";
const one = `${base}/:endpointId`;
const withEndpoint = { params: endpointParams, load: loadEndpoint };

export const webhookSettingsEndpoints: Endpoint[] = [
  page.get(base, "webhooks.manage", { handler: showList }),
  page.get(`${base}/new`, "webhooks.manage", { handler: showNew }),
  page.post(base, "webhooks.manage", {
    body: endpointFormSchema,
    form: { render: renderFailure, shows: ["validation_failed"] },
    handler: create,
  }),
  page.get(one, "webhooks.manage", { ...withEndpoint, query: logQuery, handler: show }),
  page.get(`${one}/edit`, "webhooks.manage", { ...withEndpoint, handler: showEdit }),
  page.post(one, "webhooks.manage", {
    ...withEndpoint,
    body: endpointFormSchema,
    form: { render: renderFailure, shows: ["validation_failed"] },
    handler: update,
  }),
  page.post(`${one}/enable`, "webhooks.manage", { ...withEndpoint, handler: enable }),
  page.post(`${one}/disable`, "webhooks.manage", { ...withEndpoint, handler: disable }),
  page.get(`${one}/delete`, "webhooks.manage", { ...withEndpoint, handler: confirmPage("delete") }),
  page.post(`${one}/delete`, "webhooks.manage", {
    ...withEndpoint,
    body: confirmedSchema,
    handler: remove,
  }),
  page.get(`${one}/rotate`, "webhooks.manage", { ...withEndpoint, handler: confirmPage("rotate") }),
  page.post(`${one}/rotate`, "webhooks.manage", {
    ...withEndpoint,
    body: confirmedSchema,
    handler: rotate,
  }),
  page.get(`${one}/deliveries/:deliveryId/replay`, "webhooks.manage", {
    params: deliveryParams,
    load: loadDelivery,
    handler: confirmPage("replay"),
  }),
  page.post(`${one}/deliveries/:deliveryId/replay`, "webhooks.manage", {
    params: deliveryParams,
    load: loadDelivery,
    body: confirmedSchema,
    form: { back: ({ params }) => `${base}/${params.endpointId}`, shows: ["conflict"] },
    handler: replay,
  }),
];
