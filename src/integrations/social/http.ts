import { SocialError, type SocialNetwork } from "./types";

/** A network's answer: status, headers and the body (parsed JSON when it is JSON, else null). */
export interface NetworkAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

export type Classifier = (answer: NetworkAnswer) => SocialError;

/** Longest wait for one call; a publish that takes longer has an unknown outcome. */
export const callTimeoutMs = 30_000;

/**
 * One HTTP call to a network. Refusals (non-2xx) become the network's classified SocialError;
 * no answer at all is an outage — retryable, and of unknown outcome when the request had gone out
 * (a timeout), since the network may have posted it.
 */
export async function callNetwork(
  network: SocialNetwork,
  url: string,
  init: RequestInit,
  classify: Classifier,
  timeoutMs = callTimeoutMs,
): Promise<NetworkAnswer> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    throw new SocialError({
      network,
      cause: "network_outage",
      retryable: true,
      code: timedOut ? "timeout" : "unreachable",
      message: timedOut
        ? `${networkName(network)} did not answer within ${Math.round(timeoutMs / 1000)} s.`
        : `${networkName(network)} could not be reached.`,
      fix: timedOut
        ? "Check the account's feed before trying again: the post may have gone out."
        : "Nothing was sent. It will be tried again shortly.",
      outcomeUnknown: timedOut && init.method !== undefined && init.method !== "GET",
    });
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  const answer = { status: response.status, headers: response.headers, body };
  if (!response.ok) throw classify(answer);
  return answer;
}

export function networkName(network: SocialNetwork): string {
  return { linkedin: "LinkedIn", facebook: "Facebook", instagram: "Instagram", x: "X" }[network];
}

/** Retry-After in milliseconds (seconds or an HTTP date are both allowed; dates are ignored). */
export function retryAfterOf(headers: Headers): number | null {
  const value = headers.get("retry-after");
  if (!value || !/^\d+$/.test(value)) return null;
  return Number(value) * 1000;
}

/** A JSON object's field as a string, or "". */
export function field(body: unknown, ...path: string[]): string {
  let value: unknown = body;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return "";
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === "string" || typeof value === "number" ? String(value) : "";
}
