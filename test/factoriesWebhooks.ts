import type {
  Business,
  Models,
  WebhookDelivery,
  WebhookEndpoint,
  WebhookEvent,
} from "../src/models";
import type { Clock } from "../src/lib/clock";
import { newSecret } from "../src/webhooks/signing";

/** An enabled endpoint of `business` subscribed to `events` (customer events by default). */
export async function buildWebhookEndpoint(
  models: Models,
  business: Pick<Business, "id">,
  overrides: Partial<{ url: string; events: string[]; enabled: boolean; secret: string }> = {},
): Promise<WebhookEndpoint> {
  return models.WebhookEndpoint.create({
    businessId: business.id,
    url: overrides.url ?? "https://hooks.example.com/crm",
    description: null,
    events: JSON.stringify(
      overrides.events ?? ["customer.created", "customer.updated", "customer.deleted"],
    ),
    secret: overrides.secret ?? newSecret(),
    enabled: overrides.enabled ?? true,
    createdById: null,
  });
}

/** An event of `business` with one pending delivery to `endpoint` (a new endpoint when absent). */
export async function buildWebhookDelivery(
  deps: { models: Models; clock: Clock },
  business: Pick<Business, "id">,
  endpoint?: WebhookEndpoint,
): Promise<{ endpoint: WebhookEndpoint; event: WebhookEvent; delivery: WebhookDelivery }> {
  const { models } = deps;
  const target = endpoint ?? (await buildWebhookEndpoint(models, business));
  const now = deps.clock.now();
  const publicId = `evt_test${Math.random().toString(16).slice(2, 14)}`;
  const event = await models.WebhookEvent.create({
    businessId: business.id,
    publicId,
    type: "customer.created",
    body: JSON.stringify({ id: publicId, type: "customer.created", data: {} }),
    createdAt: now,
  });
  const delivery = await models.WebhookDelivery.create({
    businessId: business.id,
    endpointId: target.id,
    eventId: event.id,
    status: "pending",
    nextAttemptAt: now,
    createdAt: now,
  });
  return { endpoint: target, event, delivery };
}
