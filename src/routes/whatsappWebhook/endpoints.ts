import { routes, type Endpoint } from "../../http/endpoint";
import {
  handshakeQuery,
  receiveWhatsAppWebhook,
  verifyHandshake,
  verifyWhatsAppSignature,
} from "./webhook";

/**
 * Meta's WhatsApp webhooks (issue 11, item 5): one endpoint for every business, routed by the
 * phone_number_id in each change. GET is Meta's verification handshake; POST carries statuses,
 * inbound messages and template updates, signed with the platform's app secret.
 */
const webhook = routes({ auth: "webhook" });

export const whatsAppWebhookEndpoints: Endpoint[] = [
  webhook.get("/webhooks/whatsapp", "anyone", {
    query: handshakeQuery,
    responds: "html",
    handler: verifyHandshake,
  }),
  webhook.post("/webhooks/whatsapp", "anyone", {
    verify: verifyWhatsAppSignature,
    // Statuses arrive at the send rate (up to thousands a second from Meta's few addresses); the
    // signature, checked first, is what keeps strangers out.
    rateLimit: false,
    handler: receiveWhatsAppWebhook,
  }),
];
