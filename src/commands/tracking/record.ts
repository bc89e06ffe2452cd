import { Op } from "sequelize";
import type { Deps } from "../../deps";
import type { CampaignRecipient } from "../../models";
import { businessScope, tenantWhere } from "../../tenancy/scope";
import { recordEvents } from "../customers/timeline";
import { machineHit } from "./bots";
import type { TrackingToken } from "./tokens";

/**
 * Opens and clicks of campaign e-mails: the first of each is written on the recipient's row
 * (opened_at, clicked_at) and on the customer's timeline; later ones and machines' hits change
 * nothing. Every query is scoped to the business the signed token names, and the row must belong
 * to the token's customer too, so a token can never touch another business's (or customer's) row.
 */
export type TrackOutcome =
  | "recorded"
  | "already_recorded"
  /** A test message (recipient 0), or a row that is not this token's. */
  | "no_recipient"
  | `filtered:${string}`;

export interface HitInfo {
  method: string;
  userAgent: string | undefined;
}

type TrackDeps = Pick<Deps, "models" | "clock">;

async function recipientOf(deps: TrackDeps, token: TrackingToken) {
  if (token.recipientId === 0) return null;
  return deps.models.CampaignRecipient.findOne({
    where: tenantWhere(businessScope(token.businessId), deps.models.CampaignRecipient, {
      id: token.recipientId,
      customerId: token.customerId,
      channel: "email",
    }),
  });
}

async function addTimeline(
  deps: TrackDeps,
  recipient: CampaignRecipient,
  kind: "email_opened" | "email_clicked",
  extra: Record<string, unknown> = {},
) {
  const campaign = await deps.models.Campaign.findOne({
    where: tenantWhere(businessScope(recipient.businessId), deps.models.Campaign, {
      id: recipient.campaignId,
    }),
    attributes: ["id", "name"],
  });
  await recordEvents(deps, { businessId: recipient.businessId, actorId: null }, [
    {
      customerId: recipient.customerId,
      kind,
      details: {
        campaignId: recipient.campaignId,
        campaignName: campaign?.name ?? null,
        channel: "email",
        ...extra,
      },
    },
  ]);
}

/** Sets `column` to now on this row if it is still empty; true when this call set it. */
async function setFirst(
  deps: TrackDeps,
  recipient: CampaignRecipient,
  column: "openedAt" | "clickedAt",
): Promise<boolean> {
  const now = deps.clock.now();
  const [changed] = await deps.models.CampaignRecipient.update(
    { [column]: now, updatedAt: now },
    {
      where: tenantWhere(businessScope(recipient.businessId), deps.models.CampaignRecipient, {
        id: recipient.id,
        [column]: { [Op.is]: null },
      }),
      silent: true,
    },
  );
  return changed === 1;
}

export async function recordOpen(
  deps: TrackDeps,
  token: TrackingToken,
  hit: HitInfo,
): Promise<TrackOutcome> {
  const recipient = await recipientOf(deps, token);
  if (!recipient) return "no_recipient";
  const machine = machineHit({ ...hit, sentAt: recipient.sentAt, at: deps.clock.now() });
  if (machine) return `filtered:${machine}`;
  if (!(await setFirst(deps, recipient, "openedAt"))) return "already_recorded";
  await addTimeline(deps, recipient, "email_opened");
  return "recorded";
}

/** A click also counts as the open when images were blocked (the pixel never loaded). */
export async function recordClick(
  deps: TrackDeps,
  token: TrackingToken,
  hit: HitInfo,
  url: string,
): Promise<TrackOutcome> {
  const recipient = await recipientOf(deps, token);
  if (!recipient) return "no_recipient";
  const machine = machineHit({ ...hit, sentAt: recipient.sentAt, at: deps.clock.now() });
  if (machine) return `filtered:${machine}`;
  if (await setFirst(deps, recipient, "openedAt"))
    await addTimeline(deps, recipient, "email_opened", { byClick: true });
  if (!(await setFirst(deps, recipient, "clickedAt"))) return "already_recorded";
  await addTimeline(deps, recipient, "email_clicked", { url: url.slice(0, 500) });
  return "recorded";
}
