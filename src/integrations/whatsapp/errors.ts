/**
 * How a Cloud API failure is handled, decided by Meta's error.code (never the HTTP status alone:
 * 130429 has come back both as 400 and as 429). See CONTRACTS.md "WhatsApp Cloud API".
 */
export type WhatsAppErrorKind = "throughput" | "pair_rate" | "permanent" | "auth" | "transient";

export interface WhatsAppError {
  /** Meta's error.code; 0 when the request never got an answer (network, timeout). */
  code: number;
  retryable: boolean;
  kind: WhatsAppErrorKind;
  message: string;
  /** The HTTP status, when there was an answer. */
  httpStatus?: number;
}

/** Codes that say "this message can never go": retrying changes nothing. */
const permanentCodes = new Set([
  100, 131008, 131009, 131026, 131047, 131048, 131049, 131051, 132000, 132001, 132005, 132007,
  132012, 132015, 132016,
]);

/** A classified error from Meta's code and the HTTP status it came with. */
export function classifyError(code: number, message: string, httpStatus?: number): WhatsAppError {
  const base = { code, message, httpStatus };
  if (code === 130429) return { ...base, kind: "throughput", retryable: true };
  if (code === 131056) return { ...base, kind: "pair_rate", retryable: true };
  // The token is invalid or expired: the channel needs reconnecting, not a retry.
  if (code === 190) return { ...base, kind: "auth", retryable: false };
  if (permanentCodes.has(code)) return { ...base, kind: "permanent", retryable: false };
  if (code === 131000) return { ...base, kind: "transient", retryable: true };
  // No code we know: a server-side failure may pass, a client error will not.
  if (httpStatus === undefined || httpStatus >= 500 || httpStatus === 429)
    return { ...base, kind: "transient", retryable: true };
  if (httpStatus === 401) return { ...base, kind: "auth", retryable: false };
  return { ...base, kind: "permanent", retryable: false };
}

/** The request never got an answer (connection refused, reset, timeout). */
export function networkError(cause: unknown): WhatsAppError {
  const why = cause instanceof Error ? cause.message : String(cause);
  return { code: 0, kind: "transient", retryable: true, message: `Network error: ${why}` };
}
