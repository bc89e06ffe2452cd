import { randomBytes } from "node:crypto";
import type { Transaction } from "sequelize";
import type { Deps } from "../../../deps";
import type { CampaignRecipient } from "../../../models";
import type { TenantContext } from "../../../tenancy/context";
import { tenantWhere } from "../../../tenancy/scope";
import { tenantSql } from "../../../tenancy/sql";
import { reachedInWindow } from "./control";

/** Recipients per batch job: an id range of this many (ids are consecutive within a send). */
export const sendBatchSize = 500;

export interface ClaimRequest {
  campaignId: number;
  fromId: number;
  /** Rows at most (the group size). */
  limit: number;
  /** The number's 24-hour messaging limit (unique recipients), or null: none. */
  messagingLimit: number | null;
}

export type ClaimResult =
  | { rows: CampaignRecipient[]; limitReached: false }
  /** The messaging limit leaves no recipient for now: nothing was claimed. */
  | { rows: []; limitReached: true };

/**
 * A claim's token, kept in error_code while its rows are being sent (it has no other use then):
 * the process id first, so an operator (and the fault test) can tell whose claim a row is.
 */
function claimToken(): string {
  return `claim:${process.pid}.${randomBytes(8).toString("hex")}`.slice(0, 32);
}

/**
 * Claims up to `limit` due queued rows of the range: the candidates are read, then moved
 * queued → sending in one UPDATE that requires them still queued, with a lease (next_attempt_at)
 * after which a row still 'sending' is recovered by the dispatcher, this claim's token in
 * error_code (the rows carrying it are this claim's, whoever else claims in the same range at the
 * same time) and requested_at cleared (nothing of this attempt has left yet).
 *
 * With a messaging limit the claim is also a reservation of the limit: it runs in a transaction
 * that first locks the business's WhatsApp channel row, so claims of every worker for that
 * business take turns, each counting the rows the previous ones claimed ('sending' counts in the
 * window) — the limit cannot be overshot by workers claiming at the same moment.
 */
export async function claimGroup(
  deps: Deps,
  ctx: TenantContext,
  request: ClaimRequest,
): Promise<ClaimResult> {
  const token = claimToken();
  const claimed =
    request.messagingLimit === null
      ? await claimRows(deps, ctx, request, request.limit, token)
      : await deps.sequelize.transaction(async (transaction) => {
          const sql = tenantSql(deps, ctx, transaction);
          // The lock: an UPDATE takes the row's write lock (InnoDB) or the database's (SQLite)
          // until the transaction ends, even when it changes nothing.
          await sql.changed`
            UPDATE messaging_channels SET updated_at = updated_at
            WHERE ${sql.scoped("messaging_channels")} AND kind = 'whatsapp'`;
          const reached = await reachedInWindow(deps, ctx, transaction);
          const allowance = Math.min(request.limit, request.messagingLimit! - reached.count);
          if (allowance <= 0) return null;
          return claimRows(deps, ctx, request, allowance, token, transaction);
        });
  if (claimed === null) return { rows: [], limitReached: true };
  if (claimed.length === 0) return { rows: [], limitReached: false };
  const rows = await deps.models.CampaignRecipient.findAll({
    where: tenantWhere(ctx, deps.models.CampaignRecipient, {
      id: claimed,
      status: "sending",
      errorCode: token,
    }),
    order: [["id", "ASC"]],
  });
  return { rows, limitReached: false };
}

/** The claim's two statements; resolves with the candidate ids when any was claimed. */
async function claimRows(
  deps: Deps,
  ctx: TenantContext,
  request: ClaimRequest,
  limit: number,
  token: string,
  transaction?: Transaction,
): Promise<number[]> {
  const sql = tenantSql(deps, ctx, transaction);
  const now = deps.clock.now();
  const { campaignId, fromId } = request;
  const candidates = await sql.select<{ id: number }>`
    SELECT id FROM campaign_recipients r WHERE ${sql.scoped("r")} AND r.campaign_id = ${campaignId}
      AND r.status = 'queued' AND r.id >= ${fromId} AND r.id < ${fromId + sendBatchSize}
      AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= ${now})
    ORDER BY r.id LIMIT ${limit}`;
  if (candidates.length === 0) return [];
  const ids = candidates.map((c) => Number(c.id));
  const lease = new Date(now.getTime() + deps.config.CAMPAIGN_SEND_LEASE_MS);
  const claimed = await sql.changed`
    UPDATE campaign_recipients SET status = 'sending', attempts = attempts + 1,
      next_attempt_at = ${lease}, error_code = ${token}, requested_at = NULL, updated_at = ${now}
    WHERE ${sql.scoped("campaign_recipients")} AND id IN ${ids} AND status = 'queued'`;
  return claimed === 0 ? [] : ids;
}

/**
 * Marks claimed rows as having their request out, right before the requests leave (one UPDATE
 * for a small group sent together). Only rows still this claim's are marked, and only those may
 * be sent: a row the dispatcher recovered meanwhile (its lease ran out) is someone else's now.
 * Resolves with the ids marked.
 */
export async function markRequested(
  deps: Pick<Deps, "sequelize" | "clock">,
  ctx: TenantContext,
  rows: CampaignRecipient[],
): Promise<Set<number>> {
  if (rows.length === 0) return new Set();
  const sql = tenantSql(deps, ctx);
  const now = deps.clock.now();
  const ids = rows.map((r) => r.id);
  const token = rows[0]!.errorCode;
  const marked = await sql.changed`
    UPDATE campaign_recipients SET requested_at = ${now}
    WHERE ${sql.scoped("campaign_recipients")} AND id IN ${ids} AND status = 'sending'
      AND error_code = ${token}`;
  if (marked === rows.length) return new Set(ids);
  const still = await sql.select<{ id: number }>`
    SELECT id FROM campaign_recipients r WHERE ${sql.scoped("r")} AND r.id IN ${ids}
      AND r.status = 'sending' AND r.error_code = ${token} AND r.requested_at = ${now}`;
  return new Set(still.map((r) => Number(r.id)));
}

/**
 * Takes back a claimed row's mark while its send waits for a later slot: only rows whose request
 * is really about to leave may be 'unknown' after a crash. Resolves false when the row is no
 * longer this claim's.
 */
export async function unmarkRequested(
  deps: Pick<Deps, "sequelize">,
  ctx: TenantContext,
  row: CampaignRecipient,
): Promise<boolean> {
  const sql = tenantSql(deps, ctx);
  const changed = await sql.changed`
    UPDATE campaign_recipients SET requested_at = NULL
    WHERE ${sql.scoped("campaign_recipients")} AND id = ${row.id} AND status = 'sending'
      AND error_code = ${row.errorCode}`;
  return changed === 1;
}

/**
 * Keeps a claimed group's lease while the group is in hand. A group that waits long for rate
 * slots (a loaded worker's late sends take fresh ones) or for a slow provider can outlive the
 * lease, and the dispatcher would then take a live worker's rows for lost: sent rows ending
 * 'unknown'. The lease is renewed every third of it, so only a worker
 * that stopped running (dead, or frozen for most of a lease) loses its rows. Returns a function
 * that stops the renewals and resolves once a renewal under way has finished.
 */
export function keepClaim(
  deps: Pick<Deps, "sequelize" | "clock" | "config" | "logger">,
  ctx: TenantContext,
  rows: CampaignRecipient[],
): () => Promise<void> {
  if (rows.length === 0) return () => Promise.resolve();
  const leaseMs = deps.config.CAMPAIGN_SEND_LEASE_MS;
  const ids = rows.map((r) => r.id);
  const token = rows[0]!.errorCode;
  let stopped = false;
  let renewing: Promise<void> = Promise.resolve();
  let cancel = () => {};
  const schedule = () => {
    cancel = deps.clock.at(deps.clock.nowMs() + Math.floor(leaseMs / 3), () => {
      if (stopped) return;
      renewing = renewLease(deps, ctx, ids, token, leaseMs)
        .catch((error: unknown) =>
          // The lease then ends as it would have without renewals; the next renewal tries again.
          deps.logger.warn({ err: error, token }, "campaign claim lease renewal failed"),
        )
        .finally(() => {
          if (!stopped) schedule();
        });
    });
  };
  schedule();
  return async () => {
    stopped = true;
    cancel();
    await renewing;
  };
}

async function renewLease(
  deps: Pick<Deps, "sequelize" | "clock">,
  ctx: TenantContext,
  ids: number[],
  token: string | null,
  leaseMs: number,
): Promise<void> {
  const sql = tenantSql(deps, ctx);
  const lease = new Date(deps.clock.nowMs() + leaseMs);
  await sql.changed`
    UPDATE campaign_recipients SET next_attempt_at = ${lease}
    WHERE ${sql.scoped("campaign_recipients")} AND id IN ${ids} AND status = 'sending'
      AND error_code = ${token}`;
}
