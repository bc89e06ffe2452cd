/**
 * Every event a business can subscribe an endpoint to. `available: false` marks events whose
 * feature has not shipped yet: they are listed (so integrators see what is coming) and can be
 * chosen, but nothing publishes them until their feature calls publishEvent with that type.
 */
export const webhookEventTypes = [
  "customer.created",
  "customer.updated",
  "customer.deleted",
  "lead.created",
  "lead.converted",
  "deal.stage_changed",
  "ticket.created",
  "ticket.updated",
  "form.submitted",
  "campaign.completed",
  "payment.captured",
] as const;

export type WebhookEventType = (typeof webhookEventTypes)[number];

interface EventInfo {
  description: string;
  /** False until the feature that publishes it ships. */
  available: boolean;
}

export const webhookEvents: Record<WebhookEventType, EventInfo> = {
  "customer.created": {
    description: "A customer was added on its form or through the API.",
    available: true,
  },
  "customer.updated": { description: "A customer's details or tags changed.", available: true },
  "customer.deleted": { description: "A customer was deleted.", available: true },
  "lead.created": { description: "A lead came in.", available: true },
  "lead.converted": {
    description: "A lead became a customer and a deal (with the three ids).",
    available: true,
  },
  "deal.stage_changed": { description: "A deal moved to another stage.", available: true },
  "ticket.created": { description: "A support ticket was opened.", available: true },
  "ticket.updated": {
    description: "A ticket's status, assignee or thread changed.",
    available: true,
  },
  "form.submitted": {
    description: "A public form was submitted (a lead came in or a returning visitor wrote).",
    available: true,
  },
  "campaign.completed": { description: "A campaign finished sending.", available: false },
  "payment.captured": { description: "A payment was captured.", available: false },
};

export function isWebhookEventType(value: string): value is WebhookEventType {
  return (webhookEventTypes as readonly string[]).includes(value);
}

/** The event types stored on an endpoint (a JSON array), unknown ones dropped. */
export function parseEventList(stored: string): WebhookEventType[] {
  try {
    const parsed: unknown = JSON.parse(stored);
    return Array.isArray(parsed)
      ? parsed.filter((v): v is WebhookEventType => typeof v === "string" && isWebhookEventType(v))
      : [];
  } catch {
    return [];
  }
}
