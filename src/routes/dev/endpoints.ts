import type { Config } from "../../config";
import { routes, type Endpoint } from "../../http/endpoint";
import { downloadSource, messageParams, showMessage, showMessageHtml, showOutbox } from "./pages";

/** Development only: in production these are not mounted, so every /dev path is a 404. */
const inDevelopment = (config: Config) => !config.isProduction;

const page = routes({ auth: "page" });

/** The development outbox: what the embedded mailer wrote instead of sending. */
export const devEndpoints: Endpoint[] = [
  page.get("/dev/outbox", "anyone", { enabledWhen: inDevelopment, handler: showOutbox }),
  page.get("/dev/outbox/:id", "anyone", {
    enabledWhen: inDevelopment,
    params: messageParams,
    handler: showMessage,
  }),
  page.get("/dev/outbox/:id/html", "anyone", {
    enabledWhen: inDevelopment,
    params: messageParams,
    handler: showMessageHtml,
  }),
  page.get("/dev/outbox/:id/source", "anyone", {
    enabledWhen: inDevelopment,
    params: messageParams,
    handler: downloadSource,
  }),
];
