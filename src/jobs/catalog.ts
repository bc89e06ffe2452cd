import type { OutgoingMail } from "../integrations/mail/types";
import type { QueueName, RetryPolicy } from "./queue";

/**
 * Every job of the app by name: its queue, retry policy and payload. Commands enqueue by name
 * through `Jobs` (jobs/dispatcher.ts) and never import a handler, so the handlers (workers/
 * processors) may import commands without a cycle. Payloads carry ids and plain JSON only; work
 * done for a business carries its id (and the acting member's, where there is one), and its
 * handler loads the tenant context with the same loader as a page.
 */
export interface TenantPayload {
  businessId: number;
  /** The member the work is done for; null for the business's own scheduled work. */
  userId: number | null;
}

export interface ImportPayload extends TenantPayload {
  importId: number;
  /** Set on the watch of a runner's lease: the epoch it watches (see commands/imports/enqueue.ts). */
  leaseEpoch?: number;
}

export interface TaskDueReminderPayload extends TenantPayload {
  taskId: number;
  /** The due time the reminder was queued for (epoch ms). */
  dueAt: number;
}

export interface TicketSlaReminderPayload extends TenantPayload {
  ticketId: number;
  /** The SLA target the reminder is for, and the due time it was queued for (epoch ms). */
  target: "first_response" | "resolution";
  dueAt: number;
}

/** One attempt of a webhook delivery (src/webhooks/deliver.ts). */
export interface WebhookDeliveryPayload extends TenantPayload {
  deliveryId: number;
  /** The row's attempts and lease epoch when queued: a job older than the row's state ends at once. */
  attempts: number;
  epoch: number;
}

export type NoPayload = Record<string, never>;

/** An address typed into a public form (reset, resend): the job looks it up, not the request. */
export interface AccountMailPayload {
  email: string;
}

export interface JobPayloads {
  "send-mail": OutgoingMail;
  "send-password-reset": AccountMailPayload;
  "send-activation-again": AccountMailPayload;
  "purge-expired-sessions": NoPayload;
  "scan-reminders": NoPayload;
  "task-due-reminder": TaskDueReminderPayload;
  "ticket-sla-reminder": TicketSlaReminderPayload;
  "inspect-import": ImportPayload;
  "run-import": ImportPayload;
  "revert-import": ImportPayload;
  "deliver-webhook": WebhookDeliveryPayload;
}

export type JobName = keyof JobPayloads;

interface CatalogEntry {
  queue: QueueName;
  retry?: Partial<RetryPolicy>;
}

export const jobCatalog: Record<JobName, CatalogEntry> = {
  // SMTP servers have bad minutes.
  "send-mail": { queue: "mail", retry: { attempts: 5, backoffMs: 5000 } },
  // A retry issues a new link, which replaces the one a failed attempt may have made.
  "send-password-reset": { queue: "mail", retry: { attempts: 3, backoffMs: 5000 } },
  "send-activation-again": { queue: "mail", retry: { attempts: 3, backoffMs: 5000 } },
  "purge-expired-sessions": { queue: "housekeeping" },
  // Each business's day is claimed once, so a retried scan only finishes what is left.
  "scan-reminders": { queue: "default", retry: { attempts: 3, backoffMs: 10_000 } },
  "task-due-reminder": { queue: "default", retry: { attempts: 5, backoffMs: 5000 } },
  "ticket-sla-reminder": { queue: "default", retry: { attempts: 5, backoffMs: 5000 } },
  "inspect-import": { queue: "imports", retry: { attempts: 3, backoffMs: 2000 } },
  // A failure outside the file (a lost connection) resumes from the checkpoint on retry.
  "run-import": { queue: "imports", retry: { attempts: 5, backoffMs: 5000 } },
  "revert-import": { queue: "imports", retry: { attempts: 5, backoffMs: 5000 } },
  // A receiver's failure is recorded and retried by the delivery itself (webhooks/backoff.ts);
  // these retries are for our own faults (a lost database connection).
  "deliver-webhook": { queue: "webhooks", retry: { attempts: 3, backoffMs: 5000 } },
};

/** The driver-level spec (queue, name, retry) of a job. */
export function jobSpec(name: JobName) {
  return { name, ...jobCatalog[name] };
}
