import type { Deps } from "../../deps";
import type { MessagingChannel } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { loadTenantContext } from "../../tenancy/loader";
import { acrossBusinesses, businessScope } from "../../tenancy/scope";
import { signalCampaign } from "../../notifications/live";
import { applyRecipientStatus, campaignsOfMessages } from "../campaigns/recipientStatus";
import { applyTemplateStatusUpdate } from "../messageTemplates/approval";
import { channelByPhoneNumberId } from "./channels";
import { receiveInbound } from "./inbound";
import {
  inboundSchema,
  messagesValueSchema,
  parseEach,
  statusSchema,
  templateUpdateSchema,
  timeOf,
  type StatusEvent,
  type WebhookBody,
} from "./webhookPayload";

/**
 * One signed POST from Meta, applied: statuses to the campaign recipients of the business that
 * owns the number (metadata.phone_number_id — never any other business's), inbound messages
 * (inbound.ts), and template approvals. Everything is idempotent, so duplicates and any order
 * give the same result; what cannot be placed is counted and skipped.
 */
type WebhookDeps = Pick<Deps, "models" | "sequelize" | "clock" | "logger">;

export interface WebhookOutcome {
  statuses: { applied: number; notFound: number; skipped: number };
  inbound: Record<string, number>;
  templates: number;
  unknownNumbers: number;
  /**
   * A status named a message no recipient has yet, recently: the send's own record of its id may
   * be a moment behind, so Meta should deliver again (the route answers 503).
   */
  retryLater: boolean;
}

/** How long a status for an unknown message id is worth Meta's retry. */
const retryWindowMs = 15 * 60 * 1000;

const knownStatuses = new Set(["sent", "delivered", "read", "failed"]);

function errorOf(status: StatusEvent) {
  const error = status.errors?.[0];
  if (!error) return { errorCode: null, errorReason: null };
  const reason = [error.title, error.error_data?.details ?? error.message]
    .filter((part, i, all) => part && all.indexOf(part) === i)
    .join(": ");
  return {
    errorCode: error.code === undefined ? null : String(error.code),
    errorReason: reason.slice(0, 300) || null,
  };
}

async function contextOf(deps: WebhookDeps, channel: MessagingChannel) {
  // The business's own work: the owner's rights, no member as actor (the one loader).
  return loadTenantContext(deps, { businessId: channel.businessId, userId: null });
}

async function applyStatuses(
  deps: WebhookDeps,
  ctx: TenantContext,
  statuses: StatusEvent[],
  outcome: WebhookOutcome,
): Promise<void> {
  const now = deps.clock.now().getTime();
  const applied: string[] = [];
  for (const status of statuses) {
    const at = timeOf(status.timestamp);
    if (!at || !knownStatuses.has(status.status)) {
      outcome.statuses.skipped += 1;
      continue;
    }
    const result = await applyRecipientStatus(deps, ctx, {
      providerMessageId: status.id,
      status: status.status as "sent" | "delivered" | "read" | "failed",
      at,
      ...errorOf(status),
    });
    if (result === "applied") {
      outcome.statuses.applied += 1;
      applied.push(status.id);
    } else {
      outcome.statuses.notFound += 1;
      if (Math.abs(now - at.getTime()) < retryWindowMs) outcome.retryLater = true;
    }
  }
  // Open results pages read their counts again now, not at their 5 s backstop; one signal per
  // campaign of the batch (not awaited: Meta's answer does not wait on a page).
  for (const campaignId of await campaignsOfMessages(deps, ctx, applied))
    void signalCampaign(ctx.business.id, campaignId);
}

async function applyMessages(
  deps: WebhookDeps,
  value: unknown,
  outcome: WebhookOutcome,
): Promise<void> {
  const parsed = messagesValueSchema.safeParse(value);
  if (!parsed.success) return;
  const channel = await channelByPhoneNumberId(deps, parsed.data.metadata.phone_number_id);
  const ctx = channel ? await contextOf(deps, channel) : null;
  if (!channel || !ctx) {
    outcome.unknownNumbers += 1;
    return;
  }
  await applyStatuses(deps, ctx, parseEach(statusSchema, parsed.data.statuses), outcome);
  for (const message of parseEach(inboundSchema, parsed.data.messages)) {
    const result = await receiveInbound(deps, ctx, channel, message);
    outcome.inbound[result] = (outcome.inbound[result] ?? 0) + 1;
  }
}

/** Template approvals: the entry names the business account (WABA), not a number. */
async function applyTemplateUpdate(
  deps: WebhookDeps,
  wabaId: string | undefined,
  value: unknown,
  outcome: WebhookOutcome,
): Promise<void> {
  const parsed = templateUpdateSchema.safeParse(value);
  if (!parsed.success || !wabaId) return;
  const channels = await deps.models.MessagingChannel.findAll({
    where: acrossBusinesses("webhook routing: Meta names the business account, not ours", {
      kind: "whatsapp",
      wabaId,
    }),
  });
  const update = parsed.data;
  for (const channel of channels)
    outcome.templates += await applyTemplateStatusUpdate(deps, businessScope(channel.businessId), {
      providerTemplateId:
        update.message_template_id === undefined ? null : String(update.message_template_id),
      name: update.message_template_name ?? null,
      language: update.message_template_language ?? null,
      event: update.event,
      reason: update.reason ?? null,
    });
}

export async function handleWhatsAppWebhook(
  deps: WebhookDeps,
  body: WebhookBody,
): Promise<WebhookOutcome> {
  const outcome: WebhookOutcome = {
    statuses: { applied: 0, notFound: 0, skipped: 0 },
    inbound: {},
    templates: 0,
    unknownNumbers: 0,
    retryLater: false,
  };
  for (const entry of body.entry)
    for (const change of entry.changes) {
      if (change.field === "messages") await applyMessages(deps, change.value, outcome);
      else if (change.field === "message_template_status_update")
        await applyTemplateUpdate(deps, entry.id, change.value, outcome);
    }
  return outcome;
}
