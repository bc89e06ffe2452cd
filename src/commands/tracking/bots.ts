/**
 * Which hits on an open pixel or a tracked link are machines, not the person. Decisions
 * (docs/decisions.md):
 * - Mail providers' image proxies (Gmail's GoogleImageProxy, Yahoo's, Outlook's) fetch the pixel
 *   when the person opens the message, so they count as opens. Apple Mail Privacy Protection
 *   fetches on delivery and cannot be told apart; it counts too, and the README says opens are an
 *   upper bound.
 * - Security scanners (link checkers of corporate gateways) are not people: known scanner user
 *   agents, tools (curl, python-requests…), an empty user agent, HEAD requests, and any hit within
 *   2 seconds of the send (no person opens and clicks that fast; gateways do) are not recorded.
 *   A scanner's click is still redirected: the link must work for whoever follows it.
 */
export interface Hit {
  method: string;
  userAgent: string | undefined;
  /** When the message was sent (null: not recorded yet). */
  sentAt: Date | null;
  at: Date;
}

/** Faster than any person opens a message or clicks in it. */
export const scannerWindowMs = 2000;

const machineAgents =
  /bot\b|crawler|spider|scanner|slurp|preview|headless|phantom|python-requests|python-urllib|aiohttp|curl\/|wget|go-http-client|java\/|okhttp|libwww|httpclient|node-fetch|axios|barracuda|proofpoint|mimecast|messagelabs|symantec|forcepoint|trendmicro|fireeye|safelinks|urldefense|zscaler|paloalto|checkpoint|sophos|cisco|ironport|bitdefender|kaspersky|virustotal|microsoft office protocol discovery/i;

/** Image proxies that fetch when a person opens the message: counted as opens. */
const mailProxies = /GoogleImageProxy|YahooMailProxy|ggpht\.com|Outlook-iOS|OutlookImageProxy/i;

/** Why this hit is not the person's, or null when it counts. */
export function machineHit(hit: Hit): string | null {
  if (hit.method.toUpperCase() === "HEAD") return "head_request";
  const agent = (hit.userAgent ?? "").trim();
  if (agent === "") return "no_user_agent";
  if (!mailProxies.test(agent) && machineAgents.test(agent)) return "scanner_user_agent";
  if (hit.sentAt && hit.at.getTime() - hit.sentAt.getTime() < scannerWindowMs)
    return "too_soon_after_send";
  return null;
}
