import type { FeedItem, FeedSource } from "../../commands/activityFeed";
import { formatDateTime } from "../../lib/dates";

/**
 * Feed entries as sentences ("Asha added the deal Annual contract", "Import of customers.xlsx
 * finished: 9,812 added"), with the page each one is about. Unknown kinds fall back to the kind's
 * words, so a feature adding an event kind never breaks the feed.
 */
export interface PresentedFeedItem {
  icon: string;
  /** The sentence before the subject's link. */
  lead: string;
  subject: string;
  href: string;
  /** Words after the link (import counts), or empty. */
  tail: string;
  at: string;
  atDisplay: string;
  source: FeedSource;
}

const sourceLabels: Record<FeedSource, string> = {
  customer: "Customers",
  lead: "Leads",
  deal: "Deals",
  ticket: "Tickets",
  import: "Imports",
  campaign: "Campaigns",
  social: "Social posts",
};

export function feedSourceLabel(source: FeedSource): string {
  return sourceLabels[source];
}

const icons: Record<FeedSource, string> = {
  customer: "fa-address-book",
  lead: "fa-user-plus",
  deal: "fa-handshake",
  ticket: "fa-life-ring",
  import: "fa-file-import",
  campaign: "fa-bullhorn",
  social: "fa-share-nodes",
};

const noun: Record<FeedSource, string> = {
  customer: "the customer",
  lead: "the lead",
  deal: "the deal",
  ticket: "the ticket",
  import: "",
  campaign: "",
  social: "",
};

const hrefs: Record<FeedSource, string> = {
  customer: "/customers/",
  lead: "/leads/",
  deal: "/deals/",
  ticket: "/tickets/",
  import: "/imports/",
  campaign: "/campaigns/",
  social: "/social/posts/",
};

/** What the actor did, by source and kind ("added", "moved", "replied on"). */
function verb(source: FeedSource, kind: string): string {
  if (kind === "created") return source === "ticket" ? "opened" : "added";
  const verbs: Record<string, string> = {
    updated: "changed",
    merged: "merged a duplicate into",
    note_added: "added a note on",
    task_created: "added a task for",
    task_completed: "completed a task for",
    message_sent: "sent a message to",
    form_submitted: "received a form from",
    converted_from_lead: "converted a lead into",
    stage_changed: "moved",
    owner_changed: "reassigned",
    amount_changed: "changed the amount of",
    converted: "converted",
    nurtured: "planned follow-ups for",
    status_changed: "changed the status of",
    assignee_changed: "reassigned",
    priority_changed: "changed the priority of",
    reply_sent: "replied on",
    customer_replied: "got a reply on",
    sla_reminded: "sent a reminder about",
  };
  return verbs[kind] ?? kind.replace(/_/g, " ");
}

const count = (value: unknown) => (typeof value === "number" ? value.toLocaleString("en-IN") : "0");

function importTail(item: FeedItem): string {
  const { created, updated, failed } = item.details;
  const parts = [`${count(created)} added`, `${count(updated)} updated`];
  if (typeof failed === "number" && failed > 0) parts.push(`${count(failed)} failed`);
  return `: ${parts.join(", ")}`;
}

const text = (value: unknown) => (typeof value === "string" ? value : "");

/** "Campaign Diwali Offer completed: 9,812 delivered", "Post … published on Facebook". */
function featureEvent(item: FeedItem): { lead: string; tail: string } {
  const d = item.details;
  if (item.source === "campaign") {
    const failed =
      typeof d.failed === "number" && d.failed > 0 ? `, ${count(d.failed)} failed` : "";
    return item.kind === "completed"
      ? { lead: "Campaign", tail: ` completed: ${count(d.delivered)} delivered${failed}` }
      : { lead: "Campaign", tail: ` ${item.kind.replace(/_/g, " ")}` };
  }
  const where = text(d.network) ? ` on ${text(d.network)}` : "";
  const account = text(d.account) ? ` (${text(d.account)})` : "";
  const cause = text(d.cause) ? `: ${text(d.cause).replace(/_/g, " ")}` : "";
  return item.kind === "failed"
    ? { lead: "Post", tail: ` failed${where}${account}${cause}` }
    : { lead: "Post", tail: ` ${item.kind.replace(/_/g, " ")}${where}${account}` };
}

export function presentFeedItem(item: FeedItem, timeZone: string): PresentedFeedItem {
  const actor = item.actorName ?? (item.source === "ticket" ? "A customer" : "Someone");
  const base = {
    icon: icons[item.source],
    subject: item.subjectName || `#${item.id}`,
    href: `${hrefs[item.source]}${item.subjectId}`,
    at: item.at.toISOString(),
    atDisplay: formatDateTime(item.at, timeZone),
    source: item.source,
  };
  if (item.source === "import") {
    const finished = item.kind === "finished" || item.kind === "completed";
    return {
      ...base,
      lead: "Import of",
      tail: finished ? ` finished${importTail(item)}` : ` ended (${item.kind.replace(/_/g, " ")})`,
    };
  }
  if (item.source === "campaign" || item.source === "social") {
    const href = item.source === "campaign" ? `/campaigns/${item.subjectId}/results` : base.href;
    return { ...base, href, ...featureEvent(item) };
  }
  // Events no member caused (a customer's reply by mail, an SLA reminder) read without a name.
  const who = item.actorName ?? (item.kind === "customer_replied" ? "" : actor);
  const sentence = `${who} ${verb(item.source, item.kind)} ${noun[item.source]}`.trim();
  // Names stay as people typed them; only a sentence without one gets its capital.
  const lead = who ? sentence : sentence[0]!.toUpperCase() + sentence.slice(1);
  return { ...base, lead, tail: "" };
}
