import type { Config } from "../../config";
import { classifyError, networkError, type WhatsAppError } from "./errors";
import { request, type HttpAnswer } from "./transport";

/**
 * The WhatsApp Cloud API over plain HTTP (CONTRACTS.md): template sends, the number's details
 * ("test connection") and template submission and status. The base URL comes from configuration
 * (WHATSAPP_GRAPH_BASE_URL), so tests run this same code against test/standins/whatsappCloud.ts.
 * Failures come back as values, classified by Meta's error code, never thrown.
 */
export const graphVersion = "v20.0";

export type Result<T> = ({ ok: true } & T) | { ok: false; error: WhatsAppError };

export interface PhoneNumberInfo {
  id: string;
  displayPhoneNumber: string | null;
  verifiedName: string | null;
  qualityRating: string | null;
}

export interface TemplateComponentInput {
  type: "HEADER" | "BODY" | "FOOTER" | "BUTTONS";
  format?: "TEXT";
  text?: string;
  buttons?: Array<{ type: string; text: string; url?: string; phone_number?: string }>;
  example?: { body_text?: string[][] };
}

export interface TemplateSubmission {
  name: string;
  language: string;
  category: string;
  components: TemplateComponentInput[];
}

export type ProviderTemplateStatus = "APPROVED" | "PENDING" | "REJECTED" | string;

export interface ProviderTemplate {
  id: string;
  name: string;
  language: string;
  status: ProviderTemplateStatus;
  rejectedReason: string | null;
}

/** What the campaign sender and the pages need from the Cloud API. */
export interface WhatsAppApi {
  /** One approved template to one recipient (E.164, with or without "+"): its wamid, or why not. */
  sendTemplate(
    phoneNumberId: string,
    token: string,
    to: string,
    templateName: string,
    language: string,
    bodyParams: string[],
  ): Promise<Result<{ wamid: string }>>;
  /** GET /{phone_number_id}: proves the id and token work together. */
  getPhoneNumber(phoneNumberId: string, token: string): Promise<Result<{ info: PhoneNumberInfo }>>;
  submitTemplate(
    wabaId: string,
    token: string,
    template: TemplateSubmission,
  ): Promise<Result<{ id: string; status: ProviderTemplateStatus }>>;
  /** The template of that name and exact language, or null when Meta has none. */
  fetchTemplateStatus(
    wabaId: string,
    token: string,
    name: string,
    language: string,
  ): Promise<Result<{ template: ProviderTemplate | null }>>;
}

export interface ClientOptions {
  baseUrl: string;
  /** Per request; a send that takes longer is reported as a network error (outcome unknown). */
  timeoutMs?: number;
}

interface GraphError {
  error?: { message?: string; code?: number; error_data?: { details?: string } };
}

type Json = Record<string, unknown>;

/** The client for this process's settings. */
export function whatsAppApiFor(config: Config): WhatsAppApi {
  return createWhatsAppClient({ baseUrl: config.WHATSAPP_GRAPH_BASE_URL });
}

export function createWhatsAppClient(options: ClientOptions): WhatsAppApi {
  const base = `${options.baseUrl.replace(/\/+$/, "")}/${graphVersion}`;
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function call(
    method: "GET" | "POST",
    path: string,
    token: string,
    body?: Json,
  ): Promise<Result<{ body: Json }>> {
    let answer: HttpAnswer;
    try {
      answer = await request(
        method,
        `${base}${path}`,
        {
          authorization: `Bearer ${token}`,
          ...(body ? { "content-type": "application/json" } : {}),
        },
        body ? JSON.stringify(body) : undefined,
        timeoutMs,
      );
    } catch (cause) {
      return { ok: false, error: networkError(cause) };
    }
    let parsed: unknown;
    try {
      parsed = answer.text ? JSON.parse(answer.text) : null;
    } catch {
      parsed = null;
    }
    const json = (parsed && typeof parsed === "object" ? parsed : {}) as Json & GraphError;
    const ok = answer.status >= 200 && answer.status < 300;
    if (json.error || !ok) {
      const code = Number(json.error?.code ?? 0);
      const details = json.error?.error_data?.details;
      const message =
        [json.error?.message, details].filter(Boolean).join(": ") || `HTTP ${answer.status}`;
      return { ok: false, error: classifyError(code, message, answer.status) };
    }
    return { ok: true, body: json };
  }

  const unexpected = (what: string): { ok: false; error: WhatsAppError } => ({
    ok: false,
    error: classifyError(0, `Unexpected answer from the Cloud API: ${what}`, 502),
  });

  return {
    async sendTemplate(phoneNumberId, token, to, templateName, language, bodyParams) {
      const result = await call("POST", `/${encodeURIComponent(phoneNumberId)}/messages`, token, {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: to.replace(/^\+/, ""),
        type: "template",
        template: {
          name: templateName,
          language: { code: language },
          components: bodyParams.length
            ? [{ type: "body", parameters: bodyParams.map((text) => ({ type: "text", text })) }]
            : [],
        },
      });
      if (!result.ok) return result;
      const messages = result.body.messages as Array<{ id?: unknown }> | undefined;
      const wamid = messages?.[0]?.id;
      return typeof wamid === "string" ? { ok: true, wamid } : unexpected("no message id");
    },

    async getPhoneNumber(phoneNumberId, token) {
      const result = await call("GET", `/${encodeURIComponent(phoneNumberId)}`, token);
      if (!result.ok) return result;
      const b = result.body;
      const str = (v: unknown) => (typeof v === "string" ? v : null);
      if (str(b.id) === null) return unexpected("no phone number id");
      return {
        ok: true,
        info: {
          id: String(b.id),
          displayPhoneNumber: str(b.display_phone_number),
          verifiedName: str(b.verified_name),
          qualityRating: str(b.quality_rating),
        },
      };
    },

    async submitTemplate(wabaId, token, template) {
      const result = await call(
        "POST",
        `/${encodeURIComponent(wabaId)}/message_templates`,
        token,
        template as unknown as Json,
      );
      if (!result.ok) return result;
      const id = result.body.id;
      if (typeof id !== "string") return unexpected("no template id");
      return { ok: true, id, status: String(result.body.status ?? "PENDING") };
    },

    async fetchTemplateStatus(wabaId, token, name, language) {
      const query = new URLSearchParams({
        name,
        fields: "id,name,language,status,rejected_reason",
      });
      const result = await call(
        "GET",
        `/${encodeURIComponent(wabaId)}/message_templates?${query.toString()}`,
        token,
      );
      if (!result.ok) return result;
      const data = Array.isArray(result.body.data) ? (result.body.data as Json[]) : [];
      // Meta's name filter is a prefix match and lists every translation: pick the exact one.
      const found = data.find((t) => t.name === name && t.language === language);
      if (!found) return { ok: true, template: null };
      const reason = found.rejected_reason;
      return {
        ok: true,
        template: {
          id: String(found.id),
          name,
          language,
          status: String(found.status),
          rejectedReason: typeof reason === "string" && reason !== "NONE" ? reason : null,
        },
      };
    },
  };
}
