import type { AuditEntry } from "../../commands/social/audit";
import { networkLabels, textLimits } from "../../commands/social/networks";
import { occasionByCode } from "../../commands/social/occasions";
import { formatDateTime } from "../../lib/dates";
import type {
  SocialAccount,
  SocialMedia,
  SocialPost,
  SocialPostTarget,
  SocialPublishAttempt,
} from "../../models";

/** Plain objects for the social pages: views never see a model. */
export const statusLabels: Record<string, string> = {
  draft: "Draft",
  scheduled: "Scheduled",
  publishing: "Publishing",
  published: "Published",
  partially_failed: "Partly failed",
  failed: "Failed",
  pending: "Waiting",
  unknown: "Unknown — check the network",
};

export const statusBadges: Record<string, string> = {
  draft: "text-bg-secondary",
  scheduled: "text-bg-info",
  publishing: "text-bg-primary",
  published: "text-bg-success",
  partially_failed: "text-bg-warning",
  failed: "text-bg-danger",
  pending: "text-bg-light",
  unknown: "text-bg-warning",
};

export const causeLabels: Record<string, string> = {
  authentication: "Sign-in problem",
  media: "Picture or video refused",
  limit: "Posting limit reached",
  network_outage: "Network unavailable",
  content_policy: "Content refused",
  unknown: "Outcome unknown",
};

export const networkIcons: Record<string, string> = {
  linkedin: "fa-linkedin",
  facebook: "fa-facebook",
  instagram: "fa-instagram",
  x: "fa-x-twitter",
};

export function presentAccount(account: SocialAccount) {
  return {
    id: account.id,
    network: account.network,
    networkLabel: networkLabels[account.network],
    icon: networkIcons[account.network],
    name: account.displayName,
    limit: textLimits[account.network],
    needsReconnect: account.status === "needs_reconnect",
  };
}

export function presentMedia(media: SocialMedia) {
  const video = media.mimeType.startsWith("video/");
  return {
    id: media.id,
    name: media.originalName,
    video,
    mimeType: media.mimeType,
    size:
      media.bytes >= 1_048_576
        ? `${(media.bytes / 1_048_576).toFixed(1)} MB`
        : `${Math.max(1, Math.round(media.bytes / 1024))} KB`,
    dimensions: media.width && media.height ? `${media.width} × ${media.height}` : null,
    fileUrl: `/social/media/${media.id}/file`,
    thumbUrl: media.thumbnailPath || !video ? `/social/media/${media.id}/thumb` : null,
  };
}

export function presentTarget(target: SocialPostTarget, post: SocialPost, timeZone: string) {
  return {
    id: target.id,
    account: target.account ? presentAccount(target.account) : null,
    status: target.status,
    statusLabel: statusLabels[target.status],
    statusBadge: statusBadges[target.status],
    text: target.variantText || post.text,
    hasVariant: Boolean(target.variantText),
    url: target.url,
    externalPostId: target.externalPostId,
    cause: target.errorCause ? (causeLabels[target.errorCause] ?? target.errorCause) : null,
    errorMessage: target.errorMessage,
    errorFix: target.errorFix,
    retrying: target.status === "pending" && target.attempts > 0 && Boolean(target.errorMessage),
    nextAttempt: target.nextAttemptAt ? formatDateTime(target.nextAttemptAt, timeZone) : null,
    publishedAt: target.publishedAt ? formatDateTime(target.publishedAt, timeZone) : null,
    attempts: target.attempts,
    failed: target.status === "failed",
    unknown: target.status === "unknown",
  };
}

export function presentPost(post: SocialPost, timeZone: string) {
  const occasion = occasionByCode(post.templateId);
  const text = post.text || post.targets?.find((t) => t.variantText)?.variantText || "";
  return {
    id: post.id,
    text: post.text,
    excerpt: [...text].length > 140 ? `${[...text].slice(0, 140).join("")}…` : text,
    status: post.status,
    statusLabel: statusLabels[post.status],
    statusBadge: statusBadges[post.status],
    when: post.scheduledAt ? formatDateTime(post.scheduledAt, timeZone) : null,
    publishedAt: post.publishedAt ? formatDateTime(post.publishedAt, timeZone) : null,
    template: occasion ? { code: occasion.code, name: occasion.name } : null,
    media: post.media ? presentMedia(post.media) : null,
    targets: (post.targets ?? []).map((t) => presentTarget(t, post, timeZone)),
    editable: post.status === "draft" || post.status === "scheduled",
    hasFailed: (post.targets ?? []).some((t) => t.status === "failed"),
  };
}

export function presentAttempt(
  attempt: SocialPublishAttempt,
  timeZone: string,
  accountOf: (targetId: number) => string,
) {
  return {
    id: attempt.id,
    account: accountOf(attempt.targetId),
    startedAt: formatDateTime(attempt.startedAt, timeZone),
    durationMs: attempt.durationMs,
    request: attempt.requestSummary,
    response: attempt.responseSummary,
    error: attempt.error,
    outcome: attempt.outcome,
  };
}

const actionLabels: Record<string, string> = {
  create: "Created",
  edit: "Edited",
  delete: "Deleted",
  schedule: "Scheduled",
  publish: "Published",
  retry: "Retried",
};

function show(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "string") return value.length > 120 ? `${value.slice(0, 120)}…` : value;
  return JSON.stringify(value);
}

export function presentAudit(entry: AuditEntry, timeZone: string, names: Map<number, string>) {
  const changes = Object.entries(entry.changes).map(([field, value]) => {
    const change = value as { from?: unknown; to?: unknown } | null;
    const isChange =
      change !== null && typeof change === "object" && "from" in change && "to" in change;
    return isChange
      ? { field, text: `${show(change.from)} → ${show(change.to)}` }
      : { field, text: show(value) };
  });
  return {
    id: entry.id,
    action: actionLabels[entry.action] ?? entry.action,
    who:
      entry.userId === null
        ? "Publisher (automatic)"
        : (names.get(entry.userId) ?? "A former member"),
    at: formatDateTime(entry.at, timeZone),
    changes,
  };
}
