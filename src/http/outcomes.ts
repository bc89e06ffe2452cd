import type { FlashMessage } from "../types/session";

/**
 * What a handler hands back for the chain to send: a redirect (with an optional flash) for pages,
 * a JSON reply in the envelope for the API. Handlers that stream or render answer themselves.
 */
export interface Redirect {
  kind: "redirect";
  to: string;
  status: 302 | 303;
  flash?: FlashMessage;
}

export interface Reply<T = unknown> {
  kind: "reply";
  status: number;
  data: T;
  message: string;
  location?: string;
  /** A list's page: `data` is its items and the envelope carries the next page's cursor. */
  nextCursor?: string | null;
}

export type Outcome = Redirect | Reply;

/** Go to `to`, with a message for the next page when given. */
export function redirect(
  to: string,
  flash?: FlashMessage | string,
  options: { status?: 302 | 303 } = {},
): Redirect {
  return {
    kind: "redirect",
    to,
    status: options.status ?? 302,
    flash: typeof flash === "string" ? { type: "success", message: flash } : flash,
  };
}

/** A JSON reply in the envelope (see `envelope`). */
export function reply<T>(
  data: T,
  message: string,
  options: { status?: number; location?: string } = {},
): Reply<T> {
  return {
    kind: "reply",
    status: options.status ?? 200,
    data,
    message,
    location: options.location,
  };
}

/**
 * One page of a list (http/pagination.ts): `{ statusCode, data: [...], nextCursor, message }`,
 * `nextCursor` null on the last page.
 */
export function page<T>(items: T[], nextCursor: string | null, message: string): Reply<T[]> {
  return { kind: "reply", status: 200, data: items, message, nextCursor };
}

/** The success envelope of DESIGN.md; errors get theirs from the error handler. */
export function envelope<T>(
  data: T,
  message: string,
  statusCode = 200,
  nextCursor?: string | null,
) {
  return nextCursor === undefined
    ? { statusCode, data, message }
    : { statusCode, data, nextCursor, message };
}

export function isOutcome(value: unknown): value is Outcome {
  return (
    typeof value === "object" &&
    value !== null &&
    "kind" in value &&
    (value.kind === "redirect" || value.kind === "reply")
  );
}
