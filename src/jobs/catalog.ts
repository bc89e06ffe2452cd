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

/** Render (and e-mail) one invoice's PDF (commands/invoices/render.ts). */
export interface InvoicePdfPayload extends TenantPayload {
  invoiceId: number;
}

/** Every lead of the business, or only `leadIds` (after their events changed: leads/rescore.ts). */
export interface RecomputeLeadScoresPayload extends TenantPayload {
  leadIds?: number[];
}

/** One public form submission (commands/forms/followUp.ts). */
export interface FormSubmissionPayload extends TenantPayload {
  submissionId: number;
}

/** One publish of one social post target (commands/social/publisher.ts). */
export interface SocialTargetPayload extends TenantPayload {
  targetId: number;
  /** The row's attempts and due time (epoch ms) when queued: a job older than the row ends at once. */
  attempts: number;
  dueAt: number;
}

/** A sending campaign's dispatcher tick, or a batch of its recipients (commands/campaigns/sending). */
export interface CampaignPayload extends TenantPayload {
  campaignId: number;
}

export interface CampaignBatchPayload extends CampaignPayload {
  /** The batch's first recipient id (batches are id ranges of sendBatchSize). */
  fromId: number;
}

/** Refresh one social account's token ahead of its expiry (commands/socialAccounts/tokens.ts). */
export interface SocialTokenPayload extends TenantPayload {
  accountId: number;
  /** The expiry it was queued for (epoch ms): the job id, so each expiry is refreshed once. */
  expiresAt: number;
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
  /** Subscriptions whose period, trial or grace has ended (commands/billing/cycle.ts). */
  "billing-cycle": NoPayload;
  /** Pending notification e-mails, one per person and business (notifications/mail.ts). */
  "send-notification-mails": NoPayload;
  "task-due-reminder": TaskDueReminderPayload;
  "ticket-sla-reminder": TicketSlaReminderPayload;
  "inspect-import": ImportPayload;
  "run-import": ImportPayload;
  "revert-import": ImportPayload;
  "deliver-webhook": WebhookDeliveryPayload;
  "render-invoice": InvoicePdfPayload;
  /** Every lead of the business scored again by its rules (after a rule changed). */
  "recompute-lead-scores": RecomputeLeadScoresPayload;
  "publish-social-target": SocialTargetPayload;
  "refresh-social-token": SocialTokenPayload;
  /** A public form submission's follow-up: owner, score, timeline, webhooks, notification. */
  "follow-up-form-submission": FormSubmissionPayload;
  /** Starts a due campaign, resumes a paused one, hands out batches, completes a finished one. */
  "campaign-dispatch": CampaignPayload;
  /** Sends one id range of a campaign's recipients at the number's rate. */
  "campaign-send-batch": CampaignBatchPayload;
}

export type JobName = keyof JobPayloads;

interface CatalogEntry {
  queue: QueueName;
  retry?: Partial<RetryPolicy>;
  yieldsToVisitors?: boolean;
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
  // Each account is settled in its own transaction with its state checked again: a retry redoes
  // only what is still due.
  "billing-cycle": { queue: "default", retry: { attempts: 3, backoffMs: 10_000 } },
  // Mail job ids come from the rows, so a retried sweep queues nothing twice.
  "send-notification-mails": { queue: "default", retry: { attempts: 3, backoffMs: 10_000 } },
  "ticket-sla-reminder": { queue: "default", retry: { attempts: 5, backoffMs: 5000 } },
  "inspect-import": { queue: "imports", retry: { attempts: 3, backoffMs: 2000 } },
  // A failure outside the file (a lost connection) resumes from the checkpoint on retry.
  "run-import": { queue: "imports", retry: { attempts: 5, backoffMs: 5000 } },
  "revert-import": { queue: "imports", retry: { attempts: 5, backoffMs: 5000 } },
  // A receiver's failure is recorded and retried by the delivery itself (webhooks/backoff.ts);
  // these retries are for our own faults (a lost database connection).
  "deliver-webhook": { queue: "webhooks", retry: { attempts: 3, backoffMs: 5000 } },
  // Each step checks what is done (PDF stored, mail queued), so a retry finishes the rest.
  "render-invoice": { queue: "default", retry: { attempts: 5, backoffMs: 5000 } },
  // Idempotent (scores are recomputed from the rules), so a retry just runs it again.
  "recompute-lead-scores": { queue: "default", retry: { attempts: 3, backoffMs: 5000 } },
  // Network failures are retried by the target's own schedule (commands/social/publisher.ts); these
  // retries are for our own faults, and the atomic claim keeps a rerun from posting twice.
  "publish-social-target": { queue: "default", retry: { attempts: 3, backoffMs: 5000 } },
  // A refresh checks the row's expiry again first; X's rotated refresh token is re-read on refusal.
  "refresh-social-token": { queue: "default", retry: { attempts: 4, backoffMs: 30_000 } },
  // The job claims its submission first, so a retry after a commit changes nothing twice.
  // Visitors sending forms come first: a burst's follow-ups catch up after it (queue.ts).
  "follow-up-form-submission": {
    queue: "forms",
    retry: { attempts: 5, backoffMs: 2000 },
    yieldsToVisitors: true,
  },
  // Each tick reads the campaign's rows again; the next tick redoes what a failed one left.
  "campaign-dispatch": { queue: "campaigns", retry: { attempts: 5, backoffMs: 1000 } },
  // Every send claims its row first (queued → sending), so a rerun never sends a row twice.
  "campaign-send-batch": { queue: "campaigns", retry: { attempts: 10, backoffMs: 1000 } },
};

/** The driver-level spec (queue, name, retry) of a job. */
export function jobSpec(name: JobName) {
  return { name, ...jobCatalog[name] };
}
