import { randomBytes } from "node:crypto";

/**
 * The rules of the WhatsApp Cloud API stand-in (test/standins/whatsappCloud.ts), kept apart from
 * its HTTP plumbing: numbers with their tokens and tiers, templates per business account, the
 * sliding one-second window, the pair rate, forced failures, and the record of accepted sends.
 */
export interface StandInNumber {
  phoneNumberId: string;
  wabaId: string;
  token: string;
  /** Accepted sends allowed in any one-second window (80 or 1000 on Meta). */
  tier: number;
  displayPhoneNumber: string;
  verifiedName: string;
}

export type StandInTemplateStatus = "APPROVED" | "PENDING" | "REJECTED";

export interface StandInTemplate {
  id: string;
  wabaId: string;
  name: string;
  language: string;
  category: string;
  status: StandInTemplateStatus;
  /** How many {{n}} the body has: a send must give exactly this many body parameters. */
  paramCount: number;
  rejectedReason: string;
  components: unknown[];
}

export interface AcceptedSend {
  wamid: string;
  phoneNumberId: string;
  to: string;
  template: string;
  language: string;
  params: string[];
  /** The stand-in's clock, in ms. */
  at: number;
}

export interface GraphErrorBody {
  status: number;
  code: number;
  message: string;
  details?: string;
}

/** A failure planned for one recipient: in the HTTP reply, or later as a `failed` status webhook. */
export interface PlannedFailure {
  code: number;
  via: "reply" | "webhook";
  /** How many sends it applies to (then the recipient is accepted normally); Infinity = always. */
  times: number;
}

export const newWamid = (): string => `wamid.${randomBytes(18).toString("base64url")}`;

/** {{1}}…{{n}}: the highest placeholder number in a body. */
export function placeholderCount(body: string): number {
  let max = 0;
  for (const match of body.matchAll(/\{\{\s*(\d+)\s*\}\}/g)) max = Math.max(max, Number(match[1]));
  return max;
}

/** Meta's titles for the codes the stand-in answers with. */
export const errorTitles: Record<number, string> = {
  100: "Invalid parameter",
  190: "Invalid OAuth access token",
  130429: "Rate limit hit",
  131000: "Something went wrong",
  131026: "Message undeliverable",
  131047: "Re-engagement message",
  131048: "Spam rate limit hit",
  131049: "Meta chose not to deliver",
  131056: "(Business Account, Consumer Account) pair rate limit hit",
  132000: "Number of parameters does not match the expected number of params",
  132001: "Template name does not exist in the translation",
};

export function graphError(code: number, status = 400, details?: string): GraphErrorBody {
  return { status, code, message: `(#${code}) ${errorTitles[code] ?? "Error"}`, details };
}

/** A sliding one-second window of accepted sends for one number. */
export class SlidingWindow {
  private times: number[] = [];
  private head = 0;

  /** Whether one more send at `now` stays within `limit` per second; records it when it does. */
  tryTake(now: number, limit: number): boolean {
    while (this.head < this.times.length && (this.times[this.head] as number) <= now - 1000)
      this.head += 1;
    if (this.head > 4096) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    if (this.times.length - this.head >= limit) return false;
    this.times.push(now);
    return true;
  }
}

/** The most sends any one-second window held, from a list of send times (ms, any order). */
export function peakPerSecond(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let peak = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while ((sorted[end] as number) - (sorted[start] as number) >= 1000) start += 1;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

export interface SendBody {
  messaging_product?: unknown;
  to?: unknown;
  type?: unknown;
  template?: {
    name?: unknown;
    language?: { code?: unknown };
    components?: Array<{ type?: unknown; parameters?: Array<{ type?: unknown; text?: unknown }> }>;
  };
}

/** The send's shape, as Meta checks it: an error (code 100) or the fields the rules need. */
export function readSend(
  body: SendBody,
): { to: string; name: string; language: string; params: string[] } | GraphErrorBody {
  if (body.messaging_product !== "whatsapp")
    return graphError(100, 400, "messaging_product must be whatsapp");
  if (typeof body.to !== "string" || !/^\+?\d{6,15}$/.test(body.to))
    return graphError(100, 400, "to must be a phone number in E.164 digits");
  if (body.type !== "template") return graphError(100, 400, "the stand-in sends templates only");
  const t = body.template;
  if (!t || typeof t.name !== "string" || !t.name)
    return graphError(100, 400, "template.name is required");
  if (!t.language || typeof t.language.code !== "string" || !t.language.code)
    return graphError(100, 400, "template.language.code is required");
  const params: string[] = [];
  for (const component of t.components ?? []) {
    if (component.type !== "body") continue;
    for (const p of component.parameters ?? []) {
      if (p.type !== "text" || typeof p.text !== "string" || p.text === "")
        return graphError(131008, 400, "every body parameter needs type text and a non-empty text");
      params.push(p.text);
    }
  }
  return { to: body.to.replace(/^\+/, ""), name: t.name, language: t.language.code, params };
}
