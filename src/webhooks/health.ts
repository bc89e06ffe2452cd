import { Op, type Transaction } from "sequelize";
import { notify } from "../commands/notifications";
import { enqueueMail } from "../integrations/mail/enqueue";
import type { Deps } from "../deps";
import type { WebhookEndpoint } from "../models";
import { can } from "../policies/permissions";
import type { TenantContext } from "../tenancy/context";
import { tenantWhere } from "../tenancy/scope";

/**
 * Endpoints that keep failing are disabled, when either
 * - a delivery gives up (a day of retries) and nothing succeeded on the endpoint since its first
 *   attempt (the endpoint's failures in a row are at least that delivery's attempts), or
 * - every attempt since `failing_since` has failed for WEBHOOK_DISABLE_AFTER_HOURS, with at least
 *   this many failures in a row (one failure after a quiet week is not a day of failures).
 */
export const minFailuresToDisable = 3;

type HealthDeps = Pick<Deps, "models" | "sequelize" | "clock" | "config" | "logger" | "jobs">;

/** A 2xx: the endpoint is healthy again. */
export async function endpointSucceeded(
  deps: HealthDeps,
  ctx: TenantContext,
  endpointId: number,
  transaction: Transaction,
): Promise<void> {
  const { WebhookEndpoint: model } = deps.models;
  await model.update(
    { consecutiveFailures: 0, failingSince: null },
    {
      where: tenantWhere(ctx, model, {
        id: endpointId,
        [Op.or]: [{ consecutiveFailures: { [Op.gt]: 0 } }, { failingSince: { [Op.ne]: null } }],
      }),
      transaction,
    },
  );
}

/**
 * A failed attempt: counted on the endpoint; when it has failed long enough, the endpoint is
 * disabled (its owed deliveries cancelled) and the members who manage webhooks are notified after
 * the commit. Returns true when this attempt disabled it.
 */
export async function endpointFailed(
  deps: HealthDeps,
  ctx: TenantContext,
  endpoint: WebhookEndpoint,
  transaction: Transaction,
  /** The attempts of a delivery that just gave up; null while it still retries. */
  gaveUpAfter: number | null = null,
): Promise<boolean> {
  const { WebhookEndpoint: model } = deps.models;
  const now = deps.clock.now();
  const where = tenantWhere(ctx, model, { id: endpoint.id });
  await model.increment("consecutiveFailures", { by: 1, where, transaction });
  await model.update(
    { failingSince: now },
    { where: tenantWhere(ctx, model, { id: endpoint.id, failingSince: null }), transaction },
  );
  const current = await model.findOne({ where, transaction });
  if (!current?.enabled || !current.failingSince) return false;
  const failures = current.consecutiveFailures;
  const failingMs = now.getTime() - current.failingSince.getTime();
  const hours = deps.config.WEBHOOK_DISABLE_AFTER_HOURS;
  const dayOfFailures = gaveUpAfter !== null && failures >= gaveUpAfter;
  const longFailing = failingMs >= hours * 3_600_000 && failures >= minFailuresToDisable;
  if (!dayOfFailures && !longFailing) return false;
  const reason = dayOfFailures
    ? `Disabled automatically: every delivery failed for ${deps.config.WEBHOOK_RETRY_HOURS} hours (${failures} attempts in a row).`
    : `Disabled automatically: every delivery failed for ${hours} hours (${failures} attempts in a row).`;
  const disabled = await disableEndpoint(deps, ctx, current, reason, transaction);
  if (disabled)
    transaction.afterCommit(() =>
      notifyDisabled(deps, ctx, current, reason, now).catch((err: unknown) =>
        deps.logger.error({ err, endpointId: current.id }, "webhook disable notice failed"),
      ),
    );
  return disabled;
}

/** Disables an endpoint (once: false when it already was) and cancels what it was still owed. */
export async function disableEndpoint(
  deps: Pick<Deps, "models" | "clock">,
  ctx: TenantContext,
  endpoint: WebhookEndpoint,
  reason: string | null,
  transaction: Transaction,
): Promise<boolean> {
  const { WebhookEndpoint: model } = deps.models;
  const now = deps.clock.now();
  const [changed] = await model.update(
    { enabled: false, disabledAt: now, disabledReason: reason },
    { where: tenantWhere(ctx, model, { id: endpoint.id, enabled: true }), transaction },
  );
  if (changed !== 1) return false;
  await cancelPending(deps, ctx, endpoint.id, "The endpoint was disabled.", transaction);
  return true;
}

/**
 * The in-app notice to every member allowed to manage webhooks (owners, admins), and an e-mail to
 * each one newly notified (a retried notice mails nobody twice).
 */
async function notifyDisabled(
  deps: HealthDeps,
  ctx: TenantContext,
  endpoint: WebhookEndpoint,
  reason: string,
  at: Date,
): Promise<void> {
  const members = await deps.models.Membership.findAll({
    where: tenantWhere(ctx, deps.models.Membership),
    attributes: ["userId", "role"],
  });
  const host = hostOf(endpoint.url);
  const link = `/settings/webhooks/${endpoint.id}`;
  const fresh = await notify(
    deps.models,
    members
      .filter((m) => can(m.role, "webhooks.manage"))
      .map((m) => ({
        businessId: ctx.business.id,
        userId: m.userId,
        kind: "webhook_disabled",
        title: `Webhook endpoint disabled: ${host}`,
        body: `${reason} Fix the receiver, then enable the endpoint again and replay what it missed.`,
        link,
        dedupeKey: `webhook-disabled-${endpoint.id}-${at.getTime()}`,
      })),
  );
  if (fresh.length === 0) return;
  const users = await deps.models.User.findAll({
    where: { id: fresh.map((n) => n.userId) },
    attributes: ["id", "name", "email"],
  });
  for (const user of users)
    await enqueueMail(deps, {
      to: user.email,
      template: "webhook-disabled",
      data: {
        name: user.name,
        businessName: ctx.business.name,
        url: endpoint.url,
        reason,
        link: new URL(link, deps.config.APP_URL).toString(),
      },
    });
}

export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 60);
  }
}

/** Ends the deliveries still owed to an endpoint that no longer takes them (disabled). */
export async function cancelPending(
  deps: Pick<Deps, "models" | "clock">,
  ctx: TenantContext,
  endpointId: number,
  reason: string,
  transaction?: Transaction,
): Promise<number> {
  const { WebhookDelivery: model } = deps.models;
  const [count] = await model.update(
    { status: "cancelled", nextAttemptAt: null, lastError: reason, updatedAt: deps.clock.now() },
    {
      where: tenantWhere(ctx, model, { endpointId, status: "pending" }),
      transaction,
    },
  );
  return count;
}
