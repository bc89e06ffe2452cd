import type { ChannelSenders } from "./channel";
import { emailSender } from "../../../integrations/mail/campaignSender";
import { whatsAppSender } from "./whatsapp";

/** The sender of each channel: WhatsApp through the Cloud API, e-mail over SMTP. */
export const channelSenders: ChannelSenders = {
  whatsapp: whatsAppSender(),
  email: emailSender(),
};
