import { statusCounts, summarise } from "../../commands/campaigns/sendStats";
import type { PageCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import type { Campaign } from "../../models";
import { liveNotificationsFor } from "../../notifications/live";
import { tenantWhere } from "../../tenancy/scope";
import type { campaignParams } from "./schema";

type OneCampaign = { params: typeof campaignParams; record: Campaign };
type Summary = ReturnType<typeof summarise>;

const tileStatuses = [
  "queued",
  "sent",
  "delivered",
  "read",
  "failed",
  "bounced",
  "unknown",
  "opted_out",
] as const;

const tileLabels: Record<(typeof tileStatuses)[number], string> = {
  queued: "Queued",
  sent: "Sent",
  delivered: "Delivered",
  read: "Read",
  failed: "Failed",
  bounced: "Bounced",
  unknown: "Unknown",
  opted_out: "Opted out",
};

/** The count tiles of the results page (and of its live updates): sent counts "or further". */
export function resultTiles(summary: Summary) {
  return tileStatuses.map((s) => ({
    status: s,
    label: tileLabels[s],
    count:
      s === "sent" ? summary.reached : s === "delivered" ? summary.deliveredOrRead : summary[s],
    note:
      s === "sent"
        ? "sent or further"
        : s === "delivered"
          ? `${summary.deliveryRate}% of sent`
          : s === "read"
            ? `${summary.readRate}% of sent`
            : null,
  }));
}

/** What one live update carries: the send state, the progress and the tiles. */
async function liveResults(call: Pick<PageCall, "deps" | "ctx">, campaignId: number) {
  const { deps, ctx } = call;
  const campaign = await deps.models.Campaign.findOne({
    where: tenantWhere(ctx, deps.models.Campaign, { id: campaignId }),
    attributes: ["id", "sendState"],
  });
  const summary = summarise(await statusCounts(deps, ctx, campaignId));
  return {
    state: campaign?.sendState ?? null,
    total: summary.total,
    done: summary.done,
    progressPct: summary.progressPct,
    tiles: resultTiles(summary).map(({ status, count, note }) => ({ status, count, note })),
  };
}

/** A comment line now and then keeps proxies from closing a quiet stream. */
const heartbeatMs = 25_000;
/** At most one update a second, however fast sends are recorded. */
const minGapMs = 1000;
/** Read again this often without a signal: status webhooks, the dispatcher's completion. */
const backstopMs = 5000;

/**
 * GET /campaigns/:campaignId/results/live: a server-sent-event stream of the campaign's results
 * (`event: results`, JSON: state, progress, tiles) — once at the start, then when sends are
 * recorded (signalCampaign, from any worker through notifications/live.ts) at most once a
 * second, and every 5 s in any case; an update is written only when something changed.
 * public/js/campaignResultsLive.js updates the page from it and reloads it when the send state
 * changes; without JavaScript the page refreshes itself (<noscript> meta refresh).
 */
export async function streamResults({ req, res, deps, ctx, record }: PageCall<OneCampaign>) {
  if (!(req.get("accept") ?? "").includes("text/event-stream"))
    return redirect(`/campaigns/${record.id}/results`);
  const live = liveNotificationsFor(deps.config);
  res.status(200);
  res.set({
    "Content-Type": "text/event-stream; charset=utf-8",
    "Cache-Control": "no-cache, no-transform",
    "X-Accel-Buffering": "no",
  });
  res.flushHeaders();
  let closed = false;
  let last = "";
  let lastAt = 0;
  let pending: (() => void) | null = null;
  let sending = Promise.resolve();
  const send = () => {
    pending = null;
    // One read at a time, in order: a burst of signals ends with the latest results.
    sending = sending.then(async () => {
      if (closed) return;
      const data = JSON.stringify(await liveResults({ deps, ctx }, record.id));
      lastAt = deps.clock.nowMs();
      if (closed || data === last) return;
      last = data;
      res.write(`event: results\ndata: ${data}\n\n`);
    });
    sending.catch(() => undefined);
  };
  const soon = () => {
    if (closed || pending) return;
    pending = deps.clock.at(lastAt + minGapMs, send);
  };
  const heartbeat = setInterval(() => !closed && res.write(": still here\n\n"), heartbeatMs);
  heartbeat.unref();
  const backstop = setInterval(soon, backstopMs);
  backstop.unref();
  const stopListening = await live.listenCampaign(
    { businessId: ctx.business.id, campaignId: record.id },
    soon,
  );
  const stopShutdown = live.onShutdown(() => res.end());
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    clearInterval(backstop);
    pending?.();
    stopListening();
    stopShutdown();
  };
  req.on("close", finish);
  res.on("close", finish);
  send();
}
