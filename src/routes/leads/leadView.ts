import type { LeadStageInfo } from "../../commands/leads/stages";
import { stageName } from "../../commands/leads/stages";
import { formatDateTime } from "../../lib/dates";
import type { Lead, LeadEvent, Task } from "../../models";
import type { LeadNote } from "../../models/LeadWork";
import { presentLeadEvent } from "../../presenters/leadsViews";

const kindBadges: Record<LeadStageInfo["kind"], string> = {
  entry: "text-bg-primary",
  open: "text-bg-info",
  lost: "text-bg-secondary",
  converted: "text-bg-dark",
};

/** A stage's name and badge from the business's own stage list. */
export function stageLook(stages: readonly LeadStageInfo[], code: string) {
  const stage = stages.find((s) => s.code === code);
  return {
    stageLabel: stage?.name ?? code,
    stageBadge: stage ? kindBadges[stage.kind] : "text-bg-light border",
  };
}

/** Where a lead can be moved by hand: every other stage but Converted (conversion puts it there). */
export function moveOptions(
  stages: readonly LeadStageInfo[],
  lead: Pick<Lead, "stage" | "dealId">,
) {
  if (lead.dealId) return [];
  return stages
    .filter((s) => s.code !== lead.stage && s.kind !== "converted")
    .map((s) => ({ value: s.code, label: s.name }));
}

/** A presented row (presenters/leadsViews presentLeadRow) with the business's stage names. */
export function withStages<R extends object>(
  row: R,
  lead: Pick<Lead, "stage" | "dealId">,
  stages: readonly LeadStageInfo[],
) {
  return { ...row, ...stageLook(stages, lead.stage), moveOptions: moveOptions(stages, lead) };
}

export interface LeadTimelineItem {
  at: string;
  timeLabel: string;
  kind: string;
  icon: string;
  text: string;
  note: { id: number; body: string; editable: boolean } | null;
  task: { id: number; status: string; due: string | null } | null;
}

function eventText(event: LeadEvent, stages: readonly LeadStageInfo[]): string | null {
  const details = (event.details ? JSON.parse(event.details) : {}) as Record<string, unknown>;
  const by = event.actor ? ` by ${event.actor.name}` : "";
  switch (event.kind) {
    case "stage_changed":
      return `Stage ${stageName(stages, String(details.from))} → ${stageName(stages, String(details.to))}${by}`;
    case "created":
      return `Lead created (${stageName(stages, String(details.stage ?? "new"))})${by}`;
    case "converted":
      return `Converted into ${details.matched ? "an existing" : "a new"} customer and the deal “${String(details.dealTitle ?? "")}”${by}`;
    case "nurtured":
      return `${String(details.tasks)} follow-up task(s) planned${by}`;
    default:
      return null;
  }
}

/** Events, notes and tasks of a lead in one list, newest first. */
export function leadTimelineItems(
  input: {
    events: LeadEvent[];
    notes: LeadNote[];
    tasks: Task[];
    names: Map<number, string>;
    stages: readonly LeadStageInfo[];
    mayEdit: (note: LeadNote) => boolean;
  },
  timeZone: string,
): LeadTimelineItem[] {
  const items: LeadTimelineItem[] = [];
  for (const event of input.events) {
    const own = eventText(event, input.stages);
    const shown = own ?? presentLeadEvent(event, timeZone, input.names).text;
    items.push({
      at: event.createdAt.toISOString(),
      timeLabel: formatDateTime(event.createdAt, timeZone),
      kind: event.kind,
      icon: event.kind === "converted" ? "fa-handshake" : "fa-circle",
      text: shown,
      note: null,
      task: null,
    });
  }
  for (const note of input.notes)
    items.push({
      at: note.createdAt.toISOString(),
      timeLabel: formatDateTime(note.createdAt, timeZone),
      kind: "note",
      icon: "fa-note-sticky",
      text: note.author ? `Note by ${note.author.name}` : "Note",
      note: { id: note.id, body: note.body, editable: input.mayEdit(note) },
      task: null,
    });
  for (const task of input.tasks)
    items.push({
      at: task.createdAt.toISOString(),
      timeLabel: formatDateTime(task.createdAt, timeZone),
      kind: "task",
      icon: "fa-list-check",
      text: `Task: ${task.title}${task.assignee ? ` (for ${task.assignee.name})` : ""}`,
      note: null,
      task: {
        id: task.id,
        status: task.status.replace("_", " "),
        due: task.dueAt ? formatDateTime(task.dueAt, timeZone) : null,
      },
    });
  return items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}
