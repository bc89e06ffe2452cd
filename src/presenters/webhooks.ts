import { formatDateTime } from "../lib/dates";
import type { WebhookDelivery, WebhookEndpoint } from "../models";
import { parseEventList, webhookEvents, webhookEventTypes } from "../webhooks/events";
import { hostOf } from "../webhooks/health";

/** An endpoint as its pages show it (the secret only where asked for: its own page). */
export function presentEndpoint(
  endpoint: WebhookEndpoint,
  timeZone: string,
  options: { withSecret?: boolean } = {},
) {
  const events = parseEventList(endpoint.events);
  return {
    id: endpoint.id,
    url: endpoint.url,
    host: hostOf(endpoint.url),
    description: endpoint.description,
    events,
    eventCount: events.length,
    enabled: endpoint.enabled,
    disabledReason: endpoint.disabledReason,
    disabledAt: endpoint.disabledAt ? formatDateTime(endpoint.disabledAt, timeZone) : null,
    failing: endpoint.enabled && endpoint.consecutiveFailures > 0,
    consecutiveFailures: endpoint.consecutiveFailures,
    secret: options.withSecret ? endpoint.secret : null,
    link: `/settings/webhooks/${endpoint.id}`,
  };
}

const statusLabels: Record<WebhookDelivery["status"], { label: string; tone: string }> = {
  pending: { label: "Retrying", tone: "warning" },
  delivered: { label: "Delivered", tone: "success" },
  failed: { label: "Failed", tone: "danger" },
  cancelled: { label: "Cancelled", tone: "secondary" },
};

/** One line of the delivery log. */
export function presentDelivery(
  delivery: WebhookDelivery,
  event: { type: string; publicId: string },
  timeZone: string,
) {
  const status =
    delivery.attempts === 0 && delivery.status === "pending"
      ? { label: "Queued", tone: "info" }
      : statusLabels[delivery.status];
  return {
    id: delivery.id,
    status: delivery.status,
    statusLabel: status.label,
    statusTone: status.tone,
    eventType: event.type,
    eventId: event.publicId,
    responseStatus: delivery.responseStatus,
    durationMs: delivery.durationMs,
    attempts: delivery.attempts,
    lastError: delivery.lastError,
    time: formatDateTime(delivery.lastAttemptAt ?? delivery.createdAt, timeZone),
    nextAttempt:
      delivery.status === "pending" && delivery.nextAttemptAt
        ? formatDateTime(delivery.nextAttemptAt, timeZone)
        : null,
    replayOf: delivery.replayOfId,
    canReplay: delivery.status !== "pending",
  };
}

/** The event checkboxes of the endpoint form. */
export function eventChoices(chosen: readonly string[]) {
  return webhookEventTypes.map((type) => ({
    type,
    description: webhookEvents[type].description,
    available: webhookEvents[type].available,
    checked: chosen.includes(type),
  }));
}
