export {
  createWhatsAppClient,
  graphVersion,
  whatsAppApiFor,
  type PhoneNumberInfo,
  type ProviderTemplate,
  type Result,
  type TemplateSubmission,
  type WhatsAppApi,
} from "./client";
export { classifyError, type WhatsAppError, type WhatsAppErrorKind } from "./errors";
export { whatsAppSignature, whatsAppSignatureValid } from "./signature";
