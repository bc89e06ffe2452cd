/**
 * What tenancy knows about the schema: which tables belong to a business, and which columns name
 * the member a row belongs to. Kept here, not in the models, so scoping never depends on model
 * wiring (and models never import tenancy). tables.test.ts checks the list against the migrated
 * schema: a new table with business_id must be added here before it can be queried.
 */

/** Every table with a business_id column, with the model that maps it. */
export const tenantTables: Readonly<Record<string, string>> = {
  activity_logs: "ActivityLog",
  campaign_members: "CampaignMember",
  campaign_recipients: "CampaignRecipient",
  campaigns: "Campaign",
  billing_details: "BillingDetails",
  business_events: "BusinessEvent",
  customer_tags: "CustomerTag",
  customers: "Customer",
  dashboard_checklists: "DashboardChecklist",
  deal_events: "DealEvent",
  deals: "Deal",
  email_suppressions: "EmailSuppression",
  form_submissions: "FormSubmission",
  forms: "Form",
  import_changes: "ImportChange",
  import_errors: "ImportRowError",
  imports: "Import",
  inbound_messages: "InboundMessage",
  invitations: "Invitation",
  invoice_pdfs: "InvoicePdf",
  invoices: "Invoice",
  lead_assignment_members: "LeadAssignmentMember",
  lead_assignment_settings: "LeadAssignmentSettings",
  lead_events: "LeadEvent",
  lead_scoring_rules: "LeadScoringRule",
  lead_notes: "LeadNote",
  lead_stages: "LeadStage",
  leads: "Lead",
  memberships: "Membership",
  message_templates: "MessageTemplate",
  messaging_channels: "MessagingChannel",
  notes: "Note",
  notifications: "Notification",
  payment_refunds: "PaymentRefund",
  payments: "Payment",
  personal_tokens: "PersonalToken",
  pipeline_stages: "PipelineStage",
  pipelines: "Pipeline",
  reminder_runs: "ReminderRun",
  sales_targets: "SalesTarget",
  segments: "Segment",
  social_accounts: "SocialAccount",
  social_audit: "SocialAudit",
  social_media: "SocialMedia",
  social_post_targets: "SocialPostTarget",
  social_posts: "SocialPost",
  social_publish_attempts: "SocialPublishAttempt",
  tags: "Tag",
  tasks: "Task",
  ticket_counters: "TicketCounter",
  ticket_events: "TicketEvent",
  ticket_messages: "TicketMessage",
  tickets: "Ticket",
  timeline_events: "TimelineEvent",
  webhook_deliveries: "WebhookDelivery",
  webhook_endpoints: "WebhookEndpoint",
  webhook_events: "WebhookEvent",
};

/** The tenant's own row: scoped by its id rather than by a business_id column. */
export const businessTable = "businesses";

/**
 * Attributes naming the member a record belongs to, by model name. Members limited to their own
 * records (sales) see only rows where one of them is theirs: customers they own, tasks they were
 * given or wrote, imports they started.
 */
export const ownerAttributes: Readonly<Record<string, readonly string[]>> = {
  Customer: ["ownerId"],
  Deal: ["ownerId"],
  Task: ["assigneeId", "createdById"],
  Import: ["userId"],
  Lead: ["ownerId"],
  SalesTarget: ["userId"],
};

/** The owner columns of a tenant table (snake_case of its model's owner attributes). */
export function ownerColumns(table: string): readonly string[] {
  const model = tenantTables[table];
  const attributes = model ? (ownerAttributes[model] ?? []) : [];
  return attributes.map((name) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`));
}
