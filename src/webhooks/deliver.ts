import { claimLease, takeoverTime } from "../db/lease";
import type { Deps } from "../deps";
import type { WebhookDeliveryPayload } from "../jobs/catalog";
import { JobDeferred } from "../jobs/queue";
import type { WebhookDelivery, WebhookEndpoint } from "../models";
import type { TenantContext } from "../tenancy/context";
import { tenantWhere } from "../tenancy/scope";
import { nextAttemptAt } from "./backoff";
import { cancelPending, endpointFailed, endpointSucceeded } from "./health";
import { postPinned, type PostResult } from "./http";
import { dispatchDelivery } from "./publish";
import { signedHeaders, signingSecrets } from "./signing";
import { checkWebhookUrl, type Resolver } from "./ssrf";

/** How much longer than the request's timeout a sender's claim lasts (connect, DB writes). */
export const leaseMarginMs = 5000;

export interface AttemptOptions {
  /** Host name resolution (tests: a resolver that answers differently the second time). */
  resolve?: Resolver;
  /** Jitter source in [0, 1). */
  random?: () => number;
}

/**
 * One attempt of a delivery, as its job runs it: skips a job older than the row's state (the
 * attempt it was queued for has happened, or a newer claim exists), claims the row for the length
 * of the request so no other worker sends the same attempt meanwhile, signs and POSTs the event's
 * stored body to the address the SSRF check passed, and records the outcome: delivered, the next
 * attempt's time, or given up. A worker killed mid-request leaves the claim to run out; the
 * reconciler then queues the attempt again under a new job id (the claim moved the epoch).
 */
export async function attemptDelivery(
  deps: Deps,
  ctx: TenantContext,
  payload: WebhookDeliveryPayload,
  options: AttemptOptions = {},
): Promise<void> {
  const { models } = deps;
  const delivery = await models.WebhookDelivery.findOne({
    where: tenantWhere(ctx, models.WebhookDelivery, { id: payload.deliveryId }),
  });
  if (!delivery || delivery.status !== "pending") return;
  if (delivery.attempts !== payload.attempts || delivery.leaseEpoch !== payload.epoch) return;
  const now = deps.clock.now();
  if (delivery.nextAttemptAt && delivery.nextAttemptAt.getTime() > now.getTime())
    throw new JobDeferred(delivery.nextAttemptAt);
  const endpoint = await models.WebhookEndpoint.findOne({
    where: tenantWhere(ctx, models.WebhookEndpoint, { id: delivery.endpointId }),
  });
  if (!endpoint?.enabled) {
    await cancelPending(deps, ctx, delivery.endpointId, "The endpoint is disabled.");
    return;
  }
  const claim = await claimLease(
    deps,
    { table: "webhook_deliveries", id: delivery.id, scope: { business_id: ctx.business.id } },
    {
      durationMs: deps.config.WEBHOOK_TIMEOUT_MS + leaseMarginMs,
      when: { status: "pending", attempts: delivery.attempts, lease_epoch: payload.epoch },
    },
  );
  if (claim.kind === "held") throw new JobDeferred(takeoverTime(claim.lease.expiresAt, now));
  if (claim.kind === "idle") return;
  const event = await models.WebhookEvent.findOne({
    where: tenantWhere(ctx, models.WebhookEvent, { id: delivery.eventId }),
  });
  if (!event) return;

  const check = await checkWebhookUrl(endpoint.url, {
    allowPrivate: deps.config.WEBHOOKS_ALLOW_PRIVATE_HOSTS,
    resolve: options.resolve,
  });
  const result: PostResult = check.ok
    ? await postPinned(
        check.url,
        check.target,
        {
          "Content-Type": "application/json",
          "User-Agent": "CRM-Webhooks/1",
          "Webhook-Event": event.type,
          ...signedHeaders(
            signingSecrets(endpoint, deps.clock.now()),
            event.publicId,
            event.body,
            deps.clock.now(),
          ),
        },
        event.body,
        deps.config.WEBHOOK_TIMEOUT_MS,
      )
    : { status: null, durationMs: 0, error: `Not sent: ${check.reason}` };
  await recordOutcome(deps, ctx, delivery, endpoint, claim.lease, result, options.random);
}

function succeeded(result: PostResult): boolean {
  return result.status !== null && result.status >= 200 && result.status < 300;
}

/**
 * Writes an attempt's outcome, conditional on still holding the claim (a holder whose claim ran
 * out and was taken over records nothing: the new holder's attempt counts). Then queues the next
 * attempt, if any, after the commit.
 */
async function recordOutcome(
  deps: Deps,
  ctx: TenantContext,
  delivery: WebhookDelivery,
  endpoint: WebhookEndpoint,
  lease: { owner: string; epoch: number },
  result: PostResult,
  random?: () => number,
): Promise<void> {
  const { models } = deps;
  const now = deps.clock.now();
  const attempts = delivery.attempts + 1;
  const ok = succeeded(result);
  const next = ok
    ? null
    : nextAttemptAt(delivery.createdAt, attempts, now, deps.config.WEBHOOK_RETRY_HOURS, random);
  const status = ok ? "delivered" : next ? "pending" : "failed";
  const error =
    result.error ?? (ok ? null : `The receiver answered ${result.status ?? "nothing"}.`);
  const owed = await deps.sequelize.transaction(async (transaction) => {
    const [changed] = await models.WebhookDelivery.update(
      {
        status,
        attempts,
        nextAttemptAt: next,
        lastAttemptAt: now,
        responseStatus: result.status,
        durationMs: result.durationMs,
        lastError: error ? error.slice(0, 300) : null,
        deliveredAt: ok ? now : null,
        leaseOwner: null,
        leaseExpiresAt: null,
        updatedAt: now,
      },
      {
        where: tenantWhere(ctx, models.WebhookDelivery, {
          id: delivery.id,
          leaseOwner: lease.owner,
        }),
        transaction,
      },
    );
    if (changed !== 1) return false;
    if (ok) await endpointSucceeded(deps, ctx, endpoint.id, transaction);
    else if (await endpointFailed(deps, ctx, endpoint, transaction, next ? null : attempts))
      return false;
    return status === "pending";
  });
  if (owed)
    await dispatchDelivery(deps, {
      id: delivery.id,
      businessId: delivery.businessId,
      attempts,
      leaseEpoch: lease.epoch,
      nextAttemptAt: next,
    });
}
