import { formatDateTime } from "../lib/dates";
import type { Note, TimelineEvent } from "../models";

const fieldLabels: Record<string, string> = {
  name: "name",
  email: "e-mail",
  phoneE164: "phone",
  whatsappE164: "WhatsApp",
  consentAt: "consent date",
  birthDate: "date of birth",
  anniversary: "anniversary",
  ownerId: "owner",
};

type Details = Record<string, unknown>;

function parse(details: string | null): Details {
  if (!details) return {};
  try {
    const value: unknown = JSON.parse(details);
    return value && typeof value === "object" ? (value as Details) : {};
  } catch {
    return {};
  }
}

const list = (value: unknown) => (Array.isArray(value) ? value.map(String).join(", ") : "");
const text = (value: unknown) => (typeof value === "string" ? value : "");

function describe(kind: string, details: Details): { icon: string; text: string } {
  switch (kind) {
    case "created":
      return { icon: "fa-user-plus", text: "Customer created" };
    case "updated": {
      const changes = details.changes && typeof details.changes === "object" ? details.changes : {};
      const fields = Object.keys(changes).map((f) => fieldLabels[f] ?? f);
      return { icon: "fa-pen", text: `Changed ${fields.join(", ") || "details"}` };
    }
    case "tagged":
      return { icon: "fa-tag", text: `Tagged ${list(details.tags)}` };
    case "untagged":
      return { icon: "fa-tag", text: `Removed tags ${list(details.tags)}` };
    case "imported":
      return { icon: "fa-file-import", text: `Imported from ${text(details.file) || "a file"}` };
    case "merged":
      return {
        icon: "fa-code-merge",
        text: `Merged ${text(details.mergedName)} (${text(details.mergedPhone)}) into this customer`,
      };
    case "task_created":
      return { icon: "fa-list-check", text: `Task created: ${text(details.title)}` };
    case "task_updated":
      return { icon: "fa-list-check", text: `Task updated: ${text(details.title)}` };
    case "task_completed":
      return { icon: "fa-circle-check", text: `Task done: ${text(details.title)}` };
    case "message_sent":
      return { icon: "fa-paper-plane", text: `Message sent: ${text(details.summary)}` };
    case "message_received":
      return {
        icon: "fa-comment",
        text: `Message received on WhatsApp: ${text(details.text) || `(${text(details.type) || "message"})`}`,
      };
    case "converted_from_lead":
      return {
        icon: "fa-handshake",
        text: `Converted from lead ${text(details.leadName)}${details.matched ? " (matched this customer)" : ""}`,
      };
    case "form_submitted":
      return { icon: "fa-rectangle-list", text: `Sent the form ${text(details.formTitle)}` };
    case "email_opened":
      return { icon: "fa-envelope-open", text: `Opened the e-mail ${text(details.campaignName)}` };
    case "email_suppressed":
      return {
        icon: "fa-ban",
        text: `Marketing e-mail to ${text(details.email)} stopped: it bounced in ${text(details.campaignName)} (${text(details.reason)})`,
      };
    case "email_unsuppressed":
      return {
        icon: "fa-envelope-circle-check",
        text: `Marketing e-mail to ${text(details.email)} allowed again`,
      };
    case "email_clicked":
      return {
        icon: "fa-arrow-pointer",
        text: `Clicked ${text(details.url)} in the e-mail ${text(details.campaignName)}`,
      };
    default:
      return { icon: "fa-circle", text: kind };
  }
}

export interface TimelineItem {
  at: string;
  atDisplay: string;
  icon: string;
  text: string;
  actor: string | null;
  note: { id: number; body: string; editable: boolean } | null;
}

/** Notes and events in one list, newest first; a note shows itself rather than "note added". */
export function presentTimeline(
  events: TimelineEvent[],
  notes: Note[],
  timeZone: string,
  mayEdit: (note: Note) => boolean,
): TimelineItem[] {
  const items: TimelineItem[] = [];
  for (const event of events) {
    if (event.kind === "note_added") continue;
    items.push({
      at: event.createdAt.toISOString(),
      atDisplay: formatDateTime(event.createdAt, timeZone),
      ...describe(event.kind, parse(event.details)),
      actor: event.actor?.name ?? null,
      note: null,
    });
  }
  for (const note of notes) {
    items.push({
      at: note.createdAt.toISOString(),
      atDisplay: formatDateTime(note.createdAt, timeZone),
      icon: "fa-note-sticky",
      text: "Note",
      actor: note.author?.name ?? null,
      note: { id: note.id, body: note.body, editable: mayEdit(note) },
    });
  }
  return items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}
