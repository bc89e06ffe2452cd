import { routes, type Endpoint } from "../../http/endpoint";
import { renderFailureOf, saveEmail, saveWhatsApp, showChannels, testConnection } from "./pages";
import { emailFormSchema, whatsAppFormSchema } from "./schema";

/**
 * Messaging channels (issue 11): the business's WhatsApp Cloud API number and e-mail sender.
 * Owners and admins (business.update): the token acts for the whole business.
 */
const page = routes({ auth: "page" });
const base = "/settings/channels";
const back = () => base;

export const channelEndpoints: Endpoint[] = [
  page.get(base, "business.update", { handler: showChannels }),
  page.post(`${base}/whatsapp`, "business.update", {
    body: whatsAppFormSchema,
    // conflict: a token sealed with another SECRETS_KEY cannot be tested; the form says so.
    form: { render: renderFailureOf("whatsapp"), shows: ["validation_failed", "conflict"] },
    handler: saveWhatsApp,
  }),
  page.post(`${base}/whatsapp/test`, "business.update", {
    form: { back, shows: ["conflict"] },
    handler: testConnection,
  }),
  page.post(`${base}/email`, "business.update", {
    body: emailFormSchema,
    form: { render: renderFailureOf("email"), shows: ["validation_failed"] },
    handler: saveEmail,
  }),
];
