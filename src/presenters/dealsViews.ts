import type { StageTotal } from "../commands/deals/list";
import { formatMoney } from "../commands/deals/money";
import { formatDateTime } from "../lib/dates";
import type { Deal, DealEvent, PipelineStage } from "../models";
import { isStale } from "./deals";

/** "₹1,50,000.00 + $700.00" — never adds different currencies together. */
export function totalLabel(total: StageTotal | undefined): string {
  if (!total || total.amounts.length === 0) return formatMoney(0, "INR").replace(/\.00$/, "");
  return total.amounts.map((a) => formatMoney(a.amountMinor, a.currency)).join(" + ");
}

/** A deal as a card of the board or a row of the list. */
export function presentDealRow(deal: Deal, stages: PipelineStage[], now: Date, staleDays: number) {
  const stage = stages.find((s) => s.id === deal.stageId) ?? deal.stage;
  return {
    id: deal.id,
    title: deal.title,
    amount: formatMoney(deal.amountMinor, deal.currency),
    customer: deal.customer ? { id: deal.customer.id, name: deal.customer.name } : null,
    owner: deal.owner ? { id: deal.owner.id, name: deal.owner.name } : null,
    stageName: stage?.name ?? "",
    stageKind: stage?.kind ?? "open",
    expectedCloseOn: deal.expectedCloseOn,
    reason: deal.reason,
    stale: isStale(deal, stage, now, staleDays),
    moveOptions: stages
      .filter((s) => s.id !== deal.stageId)
      .map((s) => ({ value: s.id, label: s.name })),
  };
}

function parseDetails(event: DealEvent): Record<string, unknown> {
  try {
    return (JSON.parse(event.details ?? "null") as Record<string, unknown> | null) ?? {};
  } catch {
    return {};
  }
}

function money(value: unknown): string {
  const v = value as { amountMinor?: number; currency?: string } | undefined;
  return v && typeof v.amountMinor === "number" && typeof v.currency === "string"
    ? formatMoney(v.amountMinor, v.currency)
    : "?";
}

/** One line of a deal's timeline, in words. */
export function presentDealEvent(
  event: DealEvent,
  timeZone: string,
  names: ReadonlyMap<number, string>,
) {
  const details = parseDetails(event);
  const who = event.actor?.name ?? "Automatically";
  const person = (id: unknown) =>
    typeof id === "number" ? (names.get(id) ?? `member #${id}`) : "nobody";
  const texts: Record<DealEvent["kind"], () => string> = {
    created: () => `${who} created the deal in ${String(details.stage ?? "")}`,
    stage_changed: () =>
      `${who} moved it from ${String(details.from)} to ${String(details.to)}${
        details.reason ? ` (${String(details.reason)})` : ""
      }`,
    amount_changed: () =>
      `${who} changed the amount from ${money(details.from)} to ${money(details.to)}`,
    owner_changed: () => `${who} gave it to ${person(details.to)} (was ${person(details.from)})`,
    updated: () =>
      `${who} changed ${Object.keys((details.changes as object | undefined) ?? {}).join(", ")}`,
  };
  return {
    kind: event.kind,
    text: (texts[event.kind] ?? (() => event.kind))(),
    timeLabel: formatDateTime(event.createdAt, timeZone),
  };
}
