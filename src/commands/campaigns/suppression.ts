import type { Transaction } from "sequelize";
import type { Deps } from "../../deps";
import { businessScope, scopeOf, type Scoped } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";

/**
 * Hard bounces suppress the address for the business's marketing e-mail (issue 11, item 5): a
 * recipient's server refused it for good (SMTP 5xx at RCPT TO or DATA, or a permanent DSN), so
 * sending to it again would only hurt the sender's reputation. Unlike an unsubscribe
 * (optOut.ts) this is about the address, not the person: WhatsApp still reaches the customer, and
 * a customer who changes their e-mail is reachable again. Later e-mail campaigns skip the
 * address (audience.ts) and the pre-flight counts it as suppressed.
 */
type SuppressDeps = Pick<Deps, "sequelize" | "clock">;

interface BouncedRow {
  campaign_id: number | string;
  customer_id: number | string;
  address: string | null;
  campaign_name: string;
}

/**
 * Suppresses the address of e-mail recipient `recipientId` (its frozen address) with `reason`,
 * and says so on the customer's timeline the first time. Answers whether a suppression was added
 * (false: not an e-mail row, no address, or already suppressed). Runs in the caller's
 * transaction when given (the sender records the bounce and this together).
 */
export async function suppressBouncedRecipient(
  deps: SuppressDeps,
  ctx: Scoped,
  recipientId: number,
  reason: string,
  transaction?: Transaction,
): Promise<boolean> {
  if (!transaction)
    return deps.sequelize.transaction((t) =>
      suppressBouncedRecipient(deps, ctx, recipientId, reason, t),
    );
  // The business's own bookkeeping: a sales member's sends bounce for the whole business.
  const sql = tenantSql(deps, businessScope(scopeOf(ctx).businessId), transaction);
  const [row] = await sql.select<BouncedRow>`
    SELECT r.campaign_id, r.customer_id, r.address, c.name AS campaign_name
    FROM campaign_recipients r JOIN campaigns c ON c.id = r.campaign_id AND ${sql.scoped("c")}
    WHERE ${sql.scoped("r")} AND r.id = ${recipientId} AND r.channel = 'email'`;
  const email = row?.address?.trim().toLowerCase();
  if (!row || !email) return false;
  const now = deps.clock.now();
  const text = reason.slice(0, 500);
  const added = await sql.changed`
    INSERT INTO email_suppressions (business_id, email, reason, campaign_id, customer_id,
      created_at)
    SELECT ${sql.businessId}, ${email}, ${text}, ${Number(row.campaign_id)},
      ${Number(row.customer_id)}, ${now}
    FROM (SELECT 1 AS one) once
    WHERE NOT EXISTS (SELECT 1 FROM email_suppressions s WHERE ${sql.scoped("s")}
      AND s.email = ${email})`;
  if (added === 0) return false;
  const details = JSON.stringify({
    email,
    reason: text,
    campaignId: Number(row.campaign_id),
    campaignName: row.campaign_name,
  });
  await sql.insertRows(
    "timeline_events",
    ["customer_id", "actor_id", "kind", "details", "created_at"],
    [[Number(row.customer_id), null, "email_suppressed", details, now]],
  );
  return true;
}

/** The recipient row a provider message id names (a DSN quotes our Message-ID), or null. */
export async function recipientOfMessage(
  deps: Pick<Deps, "sequelize">,
  ctx: Scoped,
  providerMessageId: string,
): Promise<number | null> {
  const sql = tenantSql(deps, ctx);
  const [row] = await sql.select<{ id: number | string }>`
    SELECT id FROM campaign_recipients WHERE ${sql.scoped("campaign_recipients")}
      AND provider_message_id = ${providerMessageId} LIMIT 1`;
  return row ? Number(row.id) : null;
}
