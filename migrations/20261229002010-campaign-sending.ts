import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/**
 * Sending campaigns (issue 11): a campaign gets a send state beside its planning status, the
 * template, audience rule and consent rule it sends with, and its schedule; each recipient of a
 * send is frozen into campaign_recipients (one row per campaign and customer), which is what makes
 * every send idempotent and every counter a GROUP BY. Customers get a marketing opt-out.
 */
const campaignColumns = {
  // draft | scheduled | sending | paused | completed | cancelled
  send_state: { type: DataTypes.STRING(16), allowNull: false, defaultValue: "draft" },
  // message_templates arrives in another migration of the same release: a plain id here (the send
  // checks the template through the tenant scope), so the order of the two does not matter.
  template_id: { type: DataTypes.INTEGER, allowNull: true },
  // JSON {kind: 'all'|'segment'|'tags', segmentId?, tagIds?}; `audience` is planning's free text.
  send_audience: { type: DataTypes.TEXT, allowNull: true },
  // consented_only | all_not_opted_out
  consent_rule: { type: DataTypes.STRING(24), allowNull: false, defaultValue: "consented_only" },
  scheduled_at: { type: DataTypes.DATE, allowNull: true },
  send_started_at: { type: DataTypes.DATE, allowNull: true },
  send_completed_at: { type: DataTypes.DATE, allowNull: true },
  paused_reason: { type: DataTypes.STRING(191), allowNull: true },
  resume_at: { type: DataTypes.DATE, allowNull: true },
  send_requested_by_id: { type: DataTypes.INTEGER, allowNull: true },
  parent_campaign_id: { type: DataTypes.INTEGER, allowNull: true },
} as const;

export const up: Migration = async ({ context: qi }) => {
  for (const [name, spec] of Object.entries(campaignColumns))
    await qi.addColumn("campaigns", name, spec);
  // The reconciler and the scheduler read campaigns due to start or resume.
  await qi.addIndex("campaigns", ["business_id", "send_state", "scheduled_at"], {
    name: "campaigns_business_send_state",
  });
  await qi.addIndex("campaigns", ["send_state", "scheduled_at"], {
    name: "campaigns_send_state_due",
  });

  await qi.addColumn("customers", "marketing_opted_out_at", {
    type: DataTypes.DATE,
    allowNull: true,
  });
  await qi.addColumn("customers", "marketing_opt_out_reason", {
    type: DataTypes.STRING(191),
    allowNull: true,
  });

  const at = () => ({ type: DataTypes.DATE, allowNull: true });
  await qi.createTable(
    "campaign_recipients",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      campaign_id: columns.reference("campaigns"),
      customer_id: columns.reference("customers"),
      channel: { type: DataTypes.STRING(16), allowNull: false },
      // Frozen at start: E.164 phone for WhatsApp, lower-cased e-mail for e-mail.
      address: { type: DataTypes.STRING(191), allowNull: false },
      // queued | sending | sent | delivered | read | failed | unknown | opted_out | bounced
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: "queued" },
      provider_message_id: { type: DataTypes.STRING(191), allowNull: true },
      error_code: { type: DataTypes.STRING(32), allowNull: true },
      error_reason: { type: DataTypes.STRING(500), allowNull: true },
      retryable: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      next_attempt_at: at(),
      sent_at: at(),
      delivered_at: at(),
      read_at: at(),
      failed_at: at(),
      opened_at: at(),
      clicked_at: at(),
      ...columns.timestamps(),
    },
    tableOptions(qi),
  );
  await qi.addIndex("campaign_recipients", ["campaign_id", "customer_id"], {
    unique: true,
    name: "campaign_recipients_campaign_customer_unique",
  });
  // Status webhooks find their row by the provider's id; NULLs (not yet sent) do not collide.
  await qi.addIndex("campaign_recipients", ["business_id", "provider_message_id"], {
    unique: true,
    name: "campaign_recipients_provider_message_unique",
  });
  // Dispatch (queued rows in id order), counters (GROUP BY status) and the recipient list.
  await qi.addIndex("campaign_recipients", ["business_id", "campaign_id", "status", "id"], {
    name: "campaign_recipients_campaign_status",
  });
  // Opt-outs mark a customer's queued rows in every campaign.
  await qi.addIndex("campaign_recipients", ["business_id", "customer_id", "status"], {
    name: "campaign_recipients_customer_status",
  });
  // The rolling 24-hour messaging limit and the monthly plan limit count sends by time.
  await qi.addIndex("campaign_recipients", ["business_id", "channel", "sent_at"], {
    name: "campaign_recipients_channel_sent",
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("campaign_recipients");
  await qi.removeColumn("customers", "marketing_opt_out_reason");
  await qi.removeColumn("customers", "marketing_opted_out_at");
  await qi.removeIndex("campaigns", "campaigns_send_state_due");
  await qi.removeIndex("campaigns", "campaigns_business_send_state");
  for (const name of Object.keys(campaignColumns).reverse())
    await qi.removeColumn("campaigns", name);
};
