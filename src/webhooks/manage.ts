import type { Deps } from "../deps";
import { AppError } from "../errors";
import type { WebhookDelivery, WebhookEndpoint } from "../models";
import { authorize, type TenantContext } from "../tenancy/context";
import { tenantWhere } from "../tenancy/scope";
import { isWebhookEventType, type WebhookEventType } from "./events";
import { disableEndpoint } from "./health";
import { dispatchDelivery } from "./publish";
import { newSecret, rotationOverlapMs } from "./signing";
import { checkWebhookUrl, type Resolver } from "./ssrf";

/**
 * What owners and admins do with endpoints (webhooks.manage): add, edit, enable, disable, delete,
 * rotate the secret, read the delivery log and replay a delivery.
 */
export interface EndpointInput {
  url: string;
  description: string | null;
  events: string[];
}

type ManageDeps = Pick<Deps, "models" | "sequelize" | "clock" | "config" | "jobs" | "logger">;

/** Checks the URL (SSRF: at save time too, after resolving its host) and the events chosen. */
async function checkedInput(
  deps: ManageDeps,
  input: EndpointInput,
  resolve?: Resolver,
): Promise<{ url: string; description: string | null; events: WebhookEventType[] }> {
  const events = [...new Set(input.events)].filter(isWebhookEventType);
  const errors: Record<string, string> = {};
  if (events.length === 0) errors.events = "Choose at least one event.";
  const check = await checkWebhookUrl(input.url, {
    allowPrivate: deps.config.WEBHOOKS_ALLOW_PRIVATE_HOSTS,
    resolve,
  });
  if (!check.ok) errors.url = check.reason;
  if (Object.keys(errors).length) throw AppError.validation(errors);
  return { url: input.url, description: input.description || null, events };
}

export async function createEndpoint(
  deps: ManageDeps,
  ctx: TenantContext,
  input: EndpointInput,
  options: { resolve?: Resolver } = {},
): Promise<WebhookEndpoint> {
  authorize(ctx, "webhooks.manage");
  const checked = await checkedInput(deps, input, options.resolve);
  const now = deps.clock.now();
  return deps.models.WebhookEndpoint.create({
    businessId: ctx.business.id,
    url: checked.url,
    description: checked.description,
    events: JSON.stringify(checked.events),
    secret: newSecret(),
    createdById: ctx.user.id,
    createdAt: now,
    updatedAt: now,
  });
}

export async function updateEndpoint(
  deps: ManageDeps,
  ctx: TenantContext,
  endpoint: WebhookEndpoint,
  input: EndpointInput,
  options: { resolve?: Resolver } = {},
): Promise<WebhookEndpoint> {
  authorize(ctx, "webhooks.manage");
  const checked = await checkedInput(deps, input, options.resolve);
  return endpoint.update({
    url: checked.url,
    description: checked.description,
    events: JSON.stringify(checked.events),
  });
}

/** Enabled again: its failure count starts over. Deliveries it missed can be replayed. */
export async function enableEndpoint(
  deps: ManageDeps,
  ctx: TenantContext,
  endpoint: WebhookEndpoint,
) {
  authorize(ctx, "webhooks.manage");
  await endpoint.update({
    enabled: true,
    disabledAt: null,
    disabledReason: null,
    failingSince: null,
    consecutiveFailures: 0,
  });
}

/** Disabled by hand: what it is still owed is cancelled (replayable later). */
export async function disableEndpointByHand(
  deps: ManageDeps,
  ctx: TenantContext,
  endpoint: WebhookEndpoint,
) {
  authorize(ctx, "webhooks.manage");
  await deps.sequelize.transaction((transaction) =>
    disableEndpoint(deps, ctx, endpoint, `Disabled by ${ctx.user.name}.`, transaction),
  );
}

/** Deletes the endpoint with its delivery log (events other endpoints received stay). */
export async function deleteEndpoint(
  deps: ManageDeps,
  ctx: TenantContext,
  endpoint: WebhookEndpoint,
) {
  authorize(ctx, "webhooks.manage");
  await deps.sequelize.transaction(async (transaction) => {
    await deps.models.WebhookDelivery.destroy({
      where: tenantWhere(ctx, deps.models.WebhookDelivery, { endpointId: endpoint.id }),
      transaction,
    });
    await deps.models.WebhookEndpoint.destroy({
      where: tenantWhere(ctx, deps.models.WebhookEndpoint, { id: endpoint.id }),
      transaction,
    });
  });
}

/**
 * A new secret, signing from the next attempt on; the old one keeps signing beside it for a day
 * (two `v1=` signatures), so the receiver can switch without refusing deliveries.
 */
export async function rotateSecret(
  deps: ManageDeps,
  ctx: TenantContext,
  endpoint: WebhookEndpoint,
) {
  authorize(ctx, "webhooks.manage");
  await endpoint.update({
    secret: newSecret(),
    previousSecret: endpoint.secret,
    previousSecretUntil: new Date(deps.clock.nowMs() + rotationOverlapMs),
  });
}

/**
 * Sends a delivery's event to its endpoint again, as a new delivery (the log keeps both) with the
 * same event id: a receiver that already processed it may skip it by that id.
 */
export async function replayDelivery(
  deps: ManageDeps,
  ctx: TenantContext,
  endpoint: WebhookEndpoint,
  original: WebhookDelivery,
): Promise<WebhookDelivery> {
  authorize(ctx, "webhooks.manage");
  if (!endpoint.enabled)
    throw new AppError("conflict", "Enable the endpoint before replaying its deliveries.");
  const now = deps.clock.now();
  const replay = await deps.models.WebhookDelivery.create({
    businessId: ctx.business.id,
    endpointId: endpoint.id,
    eventId: original.eventId,
    status: "pending",
    nextAttemptAt: now,
    replayOfId: original.id,
    createdAt: now,
    updatedAt: now,
  });
  await dispatchDelivery(deps, replay);
  return replay;
}
