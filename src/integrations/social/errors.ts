import { field, networkName, retryAfterOf, type NetworkAnswer } from "./http";
import { SocialError, type SocialErrorCause, type SocialNetwork } from "./types";

/**
 * Each network's documented refusals mapped to a cause, whether a retry can help, and the fix a
 * marketer sees. Unknown answers stay "unknown" and are not retried (a retry repeats them), except
 * 5xx, which every network documents as temporary.
 */
const reconnect = (network: SocialNetwork) =>
  `Reconnect the ${networkName(network)} account on Social accounts, then retry the post.`;

interface Verdict {
  cause: SocialErrorCause;
  retryable: boolean;
  fix: string;
}

const verdicts = {
  authentication: (network: SocialNetwork): Verdict => ({
    cause: "authentication",
    retryable: false,
    fix: reconnect(network),
  }),
  permission: (network: SocialNetwork, permission: string): Verdict => ({
    cause: "authentication",
    retryable: false,
    fix: `Reconnect the ${networkName(network)} account and allow ${permission} when asked.`,
  }),
  limit: (network: SocialNetwork): Verdict => ({
    cause: "limit",
    retryable: true,
    fix: `${networkName(network)} is limiting how often we post. It will be tried again automatically.`,
  }),
  outage: (network: SocialNetwork): Verdict => ({
    cause: "network_outage",
    retryable: true,
    fix: `${networkName(network)} is having trouble. It will be tried again automatically.`,
  }),
  duplicate: (network: SocialNetwork): Verdict => ({
    cause: "content_policy",
    retryable: false,
    fix: `${networkName(network)} refuses a post identical to a recent one. Change the text, then retry.`,
  }),
  policy: (network: SocialNetwork): Verdict => ({
    cause: "content_policy",
    retryable: false,
    fix: `${networkName(network)} refused the content under its rules. Edit the text or image, then retry.`,
  }),
  media: (network: SocialNetwork, rule: string): Verdict => ({
    cause: "media",
    retryable: false,
    fix: `${networkName(network)} could not use the image. ${rule}`,
  }),
  unknown: (): Verdict => ({
    cause: "unknown",
    retryable: false,
    fix: "Check the post and the account, then retry. If it fails again, contact support with the error code.",
  }),
};

function build(
  network: SocialNetwork,
  answer: NetworkAnswer,
  verdict: Verdict,
  code: string,
  message: string,
): SocialError {
  const reset = Number(answer.headers.get("x-rate-limit-reset"));
  return new SocialError({
    network,
    ...verdict,
    code: `${answer.status} ${code}`.trim(),
    message: message || `${networkName(network)} answered HTTP ${answer.status}.`,
    status: answer.status,
    retryAfterMs: retryAfterOf(answer.headers),
    resetAt: Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : null,
  });
}

/** LinkedIn: {status, serviceErrorCode, code, message}. */
export function classifyLinkedIn(answer: NetworkAnswer): SocialError {
  const network = "linkedin";
  const code = field(answer.body, "code");
  const message = field(answer.body, "message");
  const { status } = answer;
  const verdict =
    status === 401
      ? verdicts.authentication(network)
      : status === 403
        ? verdicts.permission(network, "posting on your behalf (w_member_social)")
        : status === 429
          ? verdicts.limit(network)
          : status >= 500
            ? verdicts.outage(network)
            : /DUPLICATE/i.test(code) || /duplicate/i.test(message)
              ? verdicts.duplicate(network)
              : /MEDIA|IMAGE/i.test(code)
                ? verdicts.media(network, "Use a JPG, PNG or GIF under 8 MB and 36 million pixels.")
                : status === 422 && /polic/i.test(message)
                  ? verdicts.policy(network)
                  : verdicts.unknown();
  const service = field(answer.body, "serviceErrorCode");
  return build(network, answer, verdict, [code, service].filter(Boolean).join(" "), message);
}

/** Graph API errors (Facebook Pages and Instagram): {error: {code, error_subcode, message}}. */
export function classifyGraph(
  network: "facebook" | "instagram",
  answer: NetworkAnswer,
): SocialError {
  const code = Number(field(answer.body, "error", "code"));
  const subcode = Number(field(answer.body, "error", "error_subcode"));
  const message = field(answer.body, "error", "message");
  const transient =
    (answer.body as { error?: { is_transient?: boolean } } | null)?.error?.is_transient === true;
  const permission = network === "instagram" ? "instagram_content_publish" : "pages_manage_posts";
  const mediaRule =
    network === "instagram"
      ? "Use a JPEG under 8 MB, 320–1440 px wide, between portrait 4:5 and landscape 1.91:1, at a public address."
      : "Use a JPG, PNG or GIF under 4 MB at a public address.";
  let verdict: Verdict;
  if (code === 190 || code === 102 || answer.status === 401)
    verdict = verdicts.authentication(network);
  else if (code === 10 || (code >= 200 && code <= 299))
    verdict = verdicts.permission(network, permission);
  else if (code === 9 && subcode === 2207042)
    verdict = {
      cause: "limit",
      retryable: true,
      fix: "Instagram allows 50 posts per account in 24 hours. It will go out when the window allows.",
    };
  else if (
    [4, 17, 32, 613].includes(code) ||
    (code >= 80001 && code <= 80014) ||
    answer.status === 429
  )
    verdict = verdicts.limit(network);
  else if (code === 506) verdict = verdicts.duplicate(network);
  else if (code === 368) verdict = verdicts.policy(network);
  else if (
    code === 324 ||
    code === 9004 ||
    (code >= 36000 && code <= 36003) ||
    isInstagramMediaSubcode(subcode)
  )
    verdict = verdicts.media(network, mediaRule);
  else if (code === 1 || code === 2 || transient || answer.status >= 500)
    verdict = verdicts.outage(network);
  else verdict = verdicts.unknown();
  const codes = [
    Number.isFinite(code) && code ? `#${code}` : "",
    subcode ? `/${subcode}` : "",
  ].join("");
  return build(network, answer, verdict, codes, message);
}

/** Instagram's media errors (container creation): download, type, size, aspect ratio. */
function isInstagramMediaSubcode(subcode: number): boolean {
  return [2207003, 2207004, 2207005, 2207009, 2207026, 2207052].includes(subcode);
}

/** X API v2: RFC 7807 problems {title, detail, type, status}. */
export function classifyX(answer: NetworkAnswer): SocialError {
  const network = "x";
  const detail = field(answer.body, "detail") || field(answer.body, "title");
  const type = field(answer.body, "type");
  const { status } = answer;
  let verdict: Verdict;
  if (status === 401) verdict = verdicts.authentication(network);
  else if (status === 429) verdict = verdicts.limit(network);
  else if (status >= 500) verdict = verdicts.outage(network);
  else if (status === 403 && /duplicate/i.test(detail)) verdict = verdicts.duplicate(network);
  else if (status === 403 && /client-forbidden|unsupported-authentication|oauth/i.test(type))
    verdict = verdicts.permission(network, "posting (tweet.write) and media upload (media.write)");
  else if (status === 403) verdict = verdicts.policy(network);
  else if (status === 400 && /media/i.test(detail))
    verdict = verdicts.media(network, "Use a JPG, PNG, WebP or GIF under 5 MB (GIF 15 MB).");
  else verdict = verdicts.unknown();
  return build(network, answer, verdict, type.replace(/^.*\/problems\//, ""), detail);
}
