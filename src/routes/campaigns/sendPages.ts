import type { Request, Response } from "express";
import {
  cancelSend,
  duplicateCampaign,
  pauseSend,
  resendFailed,
  resumeSend,
  saveSendSettings,
  scheduleSend,
} from "../../commands/campaigns/lifecycle";
import { preflight } from "../../commands/campaigns/preflight";
import { listRecipients, recipientsCsv } from "../../commands/campaigns/recipients";
import {
  failureReasons,
  statusCounts,
  summarise,
  timeSeries,
} from "../../commands/campaigns/sendStats";
import { parseAudience } from "../../commands/campaigns/sending/audience";
import type { FormFailure, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { formatDateTime, parseLocalDateTime, toLocalInput } from "../../lib/dates";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import type { Campaign } from "../../models";
import { AppError } from "../../errors";
import { tenantWhere } from "../../tenancy/scope";
import type { TenantContext } from "../../tenancy/context";
import { resultTiles } from "./resultsLive";
import type { campaignParams } from "./schema";
import type { deliveryQuerySchema, sendSettingsSchema, sendStartSchema } from "./sendSchema";

type OneCampaign = { params: typeof campaignParams; record: Campaign };
type Deps = PageCall["deps"];

const stateLabels: Record<string, { label: string; badge: string }> = {
  draft: { label: "Draft", badge: "text-bg-secondary" },
  scheduled: { label: "Scheduled", badge: "text-bg-info" },
  sending: { label: "Sending", badge: "text-bg-primary" },
  paused: { label: "Paused", badge: "text-bg-warning" },
  completed: { label: "Completed", badge: "text-bg-success" },
  cancelled: { label: "Cancelled", badge: "text-bg-dark" },
};

/** The campaign's send state and times, as the pages show them. */
export function presentSendState(campaign: Campaign, timeZone: string) {
  const when = (d: Date | null) => (d ? formatDateTime(d, timeZone) : null);
  const state = stateLabels[campaign.sendState] ?? stateLabels.draft!;
  return {
    id: campaign.id,
    name: campaign.name,
    sendState: campaign.sendState,
    stateLabel: state.label,
    stateBadge: state.badge,
    scheduledAt: when(campaign.scheduledAt),
    startedAt: when(campaign.sendStartedAt),
    completedAt: when(campaign.sendCompletedAt),
    pausedReason:
      campaign.pausedReason === "messaging_limit"
        ? "WhatsApp's 24-hour messaging limit was reached; sending resumes on its own."
        : campaign.pausedReason,
    resumeAt: when(campaign.resumeAt),
    editable: ["draft", "scheduled"].includes(campaign.sendState),
    canPause: campaign.sendState === "sending",
    canResume: campaign.sendState === "paused",
    canCancel: ["scheduled", "sending", "paused"].includes(campaign.sendState),
    finished: ["completed", "cancelled"].includes(campaign.sendState),
  };
}

async function renderSend(
  req: Request,
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  campaign: Campaign,
  options: { values?: Record<string, unknown>; errors?: FieldErrors; status?: number } = {},
) {
  const { models } = deps;
  const [templates, segments, tags, check] = await Promise.all([
    models.MessageTemplate.findAll({
      where: tenantWhere(ctx, models.MessageTemplate),
      attributes: ["id", "name", "channel", "status", "language"],
      order: [["name", "ASC"]],
    }),
    models.Segment.findAll({
      where: tenantWhere(ctx, models.Segment),
      attributes: ["id", "name"],
      order: [["name", "ASC"]],
    }),
    models.Tag.findAll({
      where: tenantWhere(ctx, models.Tag),
      attributes: ["id", "name"],
      order: [["name", "ASC"]],
      limit: 200,
    }),
    preflight(deps, ctx, campaign),
  ]);
  const audience = parseAudience(campaign.sendAudience);
  const values = options.values ?? {
    channel: campaign.channel === "email" ? "email" : "whatsapp",
    templateId: campaign.templateId ? String(campaign.templateId) : "",
    audienceKind: audience?.kind ?? "all",
    segmentId: audience?.segmentId ? String(audience.segmentId) : "",
    tagIds: (audience?.tagIds ?? []).map(String),
    consentRule: campaign.consentRule,
    when: "now",
    at: toLocalInput(new Date(deps.clock.nowMs() + 3600_000), ctx.business.timeZone).slice(0, 16),
  };
  const chosenTags = new Set((values.tagIds as string[] | undefined) ?? []);
  const minutes = Math.ceil(check.estimatedSeconds / 60);
  res.status(options.status ?? 200).render("campaigns/send", {
    title: `Send ${campaign.name}`,
    csrfToken: csrfToken(req),
    campaign: presentSendState(campaign, ctx.business.timeZone),
    values,
    errors: options.errors ?? {},
    timeZone: ctx.business.timeZone,
    templates: templates.map((t) => ({
      id: t.id,
      label: `${t.name} (${t.language}, ${t.channel === "whatsapp" ? "WhatsApp" : "e-mail"}, ${t.status})`,
      selected: String(t.id) === String(values.templateId),
    })),
    segments: segments.map((s) => ({
      id: s.id,
      name: s.name,
      selected: String(s.id) === String(values.segmentId),
    })),
    tags: tags.map((t) => ({ id: t.id, name: t.name, checked: chosenTags.has(String(t.id)) })),
    noTemplates: templates.length === 0,
    check: {
      ...check,
      estimate:
        check.estimatedSeconds < 120
          ? `${check.estimatedSeconds} second${check.estimatedSeconds === 1 ? "" : "s"}`
          : `${minutes} minutes`,
      spread:
        check.days > 1
          ? `${check.days} days (${check.today} today, then up to ${check.channel.messagingLimit} a day)`
          : null,
    },
    is: {
      whatsapp: values.channel !== "email",
      email: values.channel === "email",
      all: values.audienceKind === "all",
      segment: values.audienceKind === "segment",
      tags: values.audienceKind === "tags",
      consented: values.consentRule !== "all_not_opted_out",
      later: values.when === "later",
    },
  });
}

/** GET /campaigns/:campaignId/send: the step-by-step page with its pre-flight. */
export function showSend({ req, res, deps, ctx, record }: PageCall<OneCampaign>) {
  return renderSend(req, res, deps, ctx, record);
}

/** A settings or start form that failed: the page again with the errors beside the fields. */
export function renderSendFailure(
  { req, res, deps, ctx, record }: PageFormCall<{ record: Campaign | undefined }>,
  failure: FormFailure,
) {
  if (!record) throw AppError.notFound();
  return renderSend(req, res, deps, ctx, record, {
    values: failure.values,
    errors: failure.errors,
    status: failure.status,
  });
}

/** POST /campaigns/:campaignId/send/settings */
export async function saveSettings({
  deps,
  ctx,
  body,
  record,
}: PageCall<OneCampaign & { body: typeof sendSettingsSchema }>) {
  await saveSendSettings(deps, ctx, record, {
    channel: body.channel,
    templateId: body.templateId,
    consentRule: body.consentRule,
    audience:
      body.audienceKind === "segment"
        ? { kind: "segment", segmentId: body.segmentId }
        : body.audienceKind === "tags"
          ? { kind: "tags", tagIds: body.tagIds }
          : { kind: "all" },
  });
  return redirect(
    `/campaigns/${record.id}/send#preflight`,
    "Saved. Check the pre-flight, then send.",
    { status: 303 },
  );
}

/** POST /campaigns/:campaignId/send/start: now, or at a local time of the business. */
export async function start({
  deps,
  ctx,
  body,
  record,
}: PageCall<OneCampaign & { body: typeof sendStartSchema }>) {
  let at: Date | null = null;
  if (body.when === "later") {
    at = parseLocalDateTime(body.at ?? "", ctx.business.timeZone);
    if (!at || at <= deps.clock.now())
      throw AppError.validation({ at: "Choose a time in the future, or send now." });
  }
  const sent = await scheduleSend(deps, ctx, record, at);
  const message =
    sent.sendState === "scheduled"
      ? `Scheduled for ${formatDateTime(sent.scheduledAt!, ctx.business.timeZone)}.`
      : "Sending started.";
  return redirect(`/campaigns/${record.id}/results`, message, { status: 303 });
}

const action =
  (work: typeof pauseSend, message: string) =>
  async ({ deps, ctx, record }: PageCall<OneCampaign>) => {
    await work(deps, ctx, record);
    return redirect(`/campaigns/${record.id}/results`, message, { status: 303 });
  };

export const pause = action(pauseSend, "Paused. Sends already under way finish.");
export const resume = action(resumeSend, "Resumed.");
export const cancel = action(cancelSend, "Cancelled. Nobody else receives it.");

/** POST /campaigns/:campaignId/duplicate */
export async function duplicate({ deps, ctx, record }: PageCall<OneCampaign>) {
  const copy = await duplicateCampaign(deps, ctx, record);
  return redirect(`/campaigns/${copy.id}/send`, `${copy.name} created as a draft.`, {
    status: 303,
  });
}

/** POST /campaigns/:campaignId/resend-failed */
export async function resend({ deps, ctx, record }: PageCall<OneCampaign>) {
  const followUp = await resendFailed(deps, ctx, record);
  return redirect(`/campaigns/${followUp.id}/results`, `${followUp.name} is sending.`, {
    status: 303,
  });
}

const statusLabels: Record<string, string> = {
  queued: "Queued",
  sending: "Sending",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  failed: "Failed",
  unknown: "Unknown",
  opted_out: "Opted out",
  bounced: "Bounced",
};

/** GET /campaigns/:campaignId/results: live counts, chart, failures and recipients. */
export async function showResults({
  req,
  res,
  deps,
  ctx,
  record,
  query,
}: PageCall<OneCampaign & { query: typeof deliveryQuerySchema }>) {
  const [counts, reasons, series, page] = await Promise.all([
    statusCounts(deps, ctx, record.id),
    failureReasons(deps, ctx, record.id),
    timeSeries(deps, ctx, record.id),
    listRecipients(deps, ctx, record.id, { afterId: query.after, limit: 50, status: query.status }),
  ]);
  const summary = summarise(counts);
  const zone = ctx.business.timeZone;
  const state = presentSendState(record, zone);
  const only = query.status ? `status=${query.status}&` : "";
  res.render("campaigns/results", {
    title: `${record.name}: results`,
    csrfToken: csrfToken(req),
    campaign: state,
    live: ["sending", "scheduled"].includes(record.sendState),
    liveUrl: `/campaigns/${record.id}/results/live`,
    summary,
    tiles: resultTiles(summary),
    reasons,
    hasRetryable: reasons.some((r) => r.retryable && r.code !== "lost"),
    chart: JSON.stringify({
      labels: series.labels,
      sent: series.sent,
      delivered: series.delivered,
      read: series.read,
    }),
    chartRows: series.labels.map((label, i) => ({
      label: formatDateTime(new Date(label), zone),
      sent: series.sent[i],
      delivered: series.delivered[i],
      read: series.read[i],
    })),
    recipients: page.rows.map((r) => ({
      ...r,
      statusLabel: statusLabels[r.status],
      sentAt: r.sentAt ? formatDateTime(new Date(r.sentAt), zone) : null,
    })),
    filters: Object.entries(statusLabels).map(([value, label]) => ({
      value,
      label,
      selected: value === query.status,
    })),
    next: page.nextCursor
      ? `/campaigns/${record.id}/results?${only}after=${page.nextCursor}#recipients`
      : null,
    first: query.after
      ? `/campaigns/${record.id}/results?${only}#recipients`.replace("?#", "#")
      : null,
  });
}

/** GET /campaigns/:campaignId/results.csv */
export async function resultsCsv({ res, deps, ctx, record }: PageCall<OneCampaign>) {
  res.set({
    "Content-Type": "text/csv; charset=utf-8",
    "Content-Disposition": `attachment; filename="campaign-${record.id}-recipients.csv"`,
    "X-Content-Type-Options": "nosniff",
  });
  for await (const chunk of recipientsCsv(deps, ctx, record.id)) res.write(chunk);
  res.end();
}
