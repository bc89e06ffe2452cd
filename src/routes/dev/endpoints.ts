import type { Config } from "../../config";
import { endpoint, type Endpoint } from "../../http/endpoint";
import { downloadSource, messageParams, showMessage, showMessageHtml, showOutbox } from "./pages";

/** Development only: in production these are not mounted, so every /dev path is a 404. */
const inDevelopment = (config: Config) => !config.isProduction;

/** The development outbox: what the embedded mailer wrote instead of sending. */
export const devEndpoints: Endpoint[] = [
  endpoint({
    method: "get",
    path: "/dev/outbox",
    auth: "page",
    permission: "anyone",
    enabledWhen: inDevelopment,
    handler: showOutbox,
  }),
  endpoint({
    method: "get",
    path: "/dev/outbox/:id",
    auth: "page",
    permission: "anyone",
    enabledWhen: inDevelopment,
    params: messageParams,
    handler: showMessage,
  }),
  endpoint({
    method: "get",
    path: "/dev/outbox/:id/html",
    auth: "page",
    permission: "anyone",
    enabledWhen: inDevelopment,
    params: messageParams,
    handler: showMessageHtml,
  }),
  endpoint({
    method: "get",
    path: "/dev/outbox/:id/source",
    auth: "page",
    permission: "anyone",
    enabledWhen: inDevelopment,
    params: messageParams,
    handler: downloadSource,
  }),
];
