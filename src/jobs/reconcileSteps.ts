import { billingStep } from "./billing";
import { notificationMailStep } from "../notifications/mailStep";
import { housekeepingStep } from "./housekeeping";
import { importsStep } from "./importsStep";
import { outboxStep } from "./outboxStep";
import type { ReconcileStep } from "./reconciler";
import { remindersStep } from "./reminders";
import { taskReminderStep } from "./taskReminders";
import { ticketsReminderStep } from "./ticketsReminders";
import { webhookDeliveryStep } from "../webhooks/reconcile";
import { invoicePdfStep } from "../commands/invoices/render";
import { socialSweepStep } from "./socialSweep";
import { socialTokensStep } from "./socialTokens";
import { formFollowUpStep } from "../commands/forms/followUp";
import { campaignsStep } from "./campaignsStep";

/**
 * Every feature's reconcile step, in one list: what the database says is scheduled or owed is put
 * back on the queue. A feature with scheduled work adds its step here. The outbox goes first, so
 * jobs kept there reach the queue under their own ids before anything is re-derived.
 */
export const reconcileSteps: ReconcileStep[] = [
  outboxStep,
  housekeepingStep,
  taskReminderStep,
  ticketsReminderStep,
  remindersStep,
  importsStep,
  webhookDeliveryStep,
  invoicePdfStep,
  billingStep,
  notificationMailStep,
  socialSweepStep,
  socialTokensStep,
  formFollowUpStep,
  campaignsStep,
];
