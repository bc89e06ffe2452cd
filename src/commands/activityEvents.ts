import type { Transaction } from "sequelize";
import type { Deps } from "../deps";
import type { SocialAccount, SocialPost } from "../models";
import { signalDashboard } from "../notifications/live";
import type { TenantContext } from "../tenancy/context";
import { tenantWhere } from "../tenancy/scope";
import { statusCounts, summarise } from "./campaigns/sendStats";
import { networkLabels } from "./social/networks";

/**
 * The activity service for feature events that have no event table of their own (issue 15): a
 * campaign that finished sending ("Campaign Diwali Offer completed: 9,812 delivered"), a social
 * post published or failed on one network. A feature calls one function here at the moment the
 * event happens; it writes one business_events row (read by commands/activityFeed.ts) and, once
 * that row is committed, tells open dashboards which cards changed (notifications/live.ts).
 */
export type EventSource = "campaign" | "social";

/** The dashboard cards each source's events change (the recent activity list is a card too). */
const cardsOf: Record<EventSource, string[]> = {
  campaign: ["campaign", "activity"],
  social: ["social", "activity"],
};

export interface FeatureEvent {
  source: EventSource;
  kind: string;
  subjectId: number;
  subjectName: string;
  actorId?: number | null;
  details?: Record<string, unknown>;
}

/** Writes the event (in the caller's transaction, when given) and signals after the commit. */
export async function recordFeatureEvent(
  deps: Pick<Deps, "models" | "clock">,
  ctx: TenantContext,
  event: FeatureEvent,
  transaction?: Transaction,
): Promise<void> {
  await deps.models.BusinessEvent.create(
    {
      businessId: ctx.business.id,
      source: event.source,
      kind: event.kind,
      actorId: event.actorId ?? null,
      subjectId: event.subjectId,
      subjectName: event.subjectName.slice(0, 200),
      details: event.details ? JSON.stringify(event.details) : null,
      createdAt: deps.clock.now(),
    },
    { transaction },
  );
  const signal = () => signalDashboard(ctx.business.id, cardsOf[event.source]);
  if (transaction) transaction.afterCommit(signal);
  else await signal();
}

/**
 * A campaign finished sending: its counts at that moment go into the sentence (receipts that
 * arrive later show on its results page). Written in the transaction that marks it completed,
 * so that a crash cannot leave a completed campaign without its entry.
 */
export async function campaignCompleted(
  deps: Pick<Deps, "models" | "clock" | "sequelize">,
  ctx: TenantContext,
  campaign: { id: number; name: string },
  transaction: Transaction,
): Promise<void> {
  const s = summarise(await statusCounts(deps, ctx, campaign.id, transaction));
  await recordFeatureEvent(
    deps,
    ctx,
    {
      source: "campaign",
      kind: "completed",
      subjectId: campaign.id,
      subjectName: campaign.name,
      details: {
        total: s.total,
        sent: s.reached,
        delivered: s.deliveredOrRead,
        read: s.read,
        failed: s.failed + s.bounced,
      },
    },
    transaction,
  );
}

/** A post's text as a feed subject: its first line, cut short. */
export function postTitle(text: string): string {
  const line = text.split("\n").find((l) => l.trim()) ?? "";
  const trimmed = line.trim();
  return trimmed.length > 60 ? `${trimmed.slice(0, 57)}…` : trimmed || "Untitled post";
}

/**
 * One network's final outcome for a post. Published and failed are events; any other status
 * (unknown, waiting for a retry) is not, and is ignored here so the caller needs no condition.
 */
export async function socialTargetSettled(
  deps: Pick<Deps, "models" | "clock">,
  ctx: TenantContext,
  settled: {
    post: Pick<SocialPost, "id" | "text" | "authorUserId">;
    /** The account, or its id when the caller has not loaded it. */
    account?: Pick<SocialAccount, "network" | "displayName">;
    accountId?: number;
    status: string;
    cause?: string | null;
  },
  transaction?: Transaction,
): Promise<void> {
  if (settled.status !== "published" && settled.status !== "failed") return;
  const account =
    settled.account ??
    (settled.accountId
      ? await deps.models.SocialAccount.findOne({
          where: tenantWhere(ctx, deps.models.SocialAccount, { id: settled.accountId }),
          transaction,
        })
      : null);
  await recordFeatureEvent(
    deps,
    ctx,
    {
      source: "social",
      kind: settled.status,
      subjectId: settled.post.id,
      subjectName: postTitle(settled.post.text),
      details: {
        network: account ? networkLabels[account.network] : null,
        account: account?.displayName ?? null,
        ...(settled.cause ? { cause: settled.cause } : {}),
      },
    },
    transaction,
  );
}
