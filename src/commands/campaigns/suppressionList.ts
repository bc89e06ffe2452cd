import type { Deps } from "../../deps";
import type { EmailSuppression } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { businessScope, findInBusiness, tenantWhere } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import { recordEvents } from "../customers/timeline";
import { likeEscaped } from "../search/words";

/**
 * The business's suppressed e-mail addresses (suppression.ts adds them on a hard bounce): listed
 * newest first for whoever runs campaigns, and lifted one at a time when the address works again
 * (the customer fixed their mailbox). Lifting is written on the customer's timeline with who did
 * it, as the suppression was.
 */
export const suppressionsPerPage = 50;

export interface SuppressionRow {
  id: number;
  email: string;
  reason: string;
  createdAt: Date;
  campaign: { id: number; name: string } | null;
  customer: { id: number; name: string } | null;
}

interface Raw {
  id: number | string;
  email: string;
  reason: string;
  created_at: Date | string;
  campaign_id: number | string | null;
  campaign_name: string | null;
  customer_id: number | string | null;
  customer_name: string | null;
}

/**
 * One page of suppressions, newest first: those with an id below `before` (the keyset of the
 * "Older" link), whose address contains `q` when given. `more` says whether another page follows.
 */
export async function listSuppressions(
  deps: Pick<Deps, "sequelize">,
  ctx: TenantContext,
  filter: { q?: string; before?: number },
): Promise<{ rows: SuppressionRow[]; more: boolean }> {
  authorize(ctx, "campaigns.manage");
  // The business's own list: a sales member's campaigns bounce for the whole business.
  const sql = tenantSql(deps, businessScope(ctx.business.id));
  const q = filter.q?.trim().toLowerCase();
  const conditions = [sql.fragment`1 = 1`];
  if (filter.before) conditions.push(sql.fragment`s.id < ${filter.before}`);
  if (q) conditions.push(sql.fragment`s.email LIKE ${`%${likeEscaped(q)}%`} ESCAPE '!'`);
  const where = conditions.reduce((all, c) => sql.fragment`${all} AND ${c}`);
  const found = await sql.select<Raw>`
    SELECT s.id, s.email, s.reason, s.created_at, s.campaign_id, p.name AS campaign_name,
      s.customer_id, c.name AS customer_name
    FROM email_suppressions s
    LEFT JOIN campaigns p ON p.id = s.campaign_id AND ${sql.scoped("p")}
    LEFT JOIN customers c ON c.id = s.customer_id AND ${sql.scoped("c")}
    WHERE ${sql.scoped("s")} AND ${where}
    ORDER BY s.id DESC LIMIT ${suppressionsPerPage + 1}`;
  const rows = found.slice(0, suppressionsPerPage).map((r) => ({
    id: Number(r.id),
    email: r.email,
    reason: r.reason,
    createdAt: new Date(r.created_at),
    campaign:
      r.campaign_id !== null && r.campaign_name !== null
        ? { id: Number(r.campaign_id), name: r.campaign_name }
        : null,
    customer:
      r.customer_id !== null && r.customer_name !== null
        ? { id: Number(r.customer_id), name: r.customer_name }
        : null,
  }));
  return { rows, more: found.length > suppressionsPerPage };
}

/** One suppression of the business (404 for another business's id). */
export function findSuppression(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  id: number,
): Promise<EmailSuppression> {
  authorize(ctx, "campaigns.manage");
  return findInBusiness(ctx, deps.models.EmailSuppression, id, { wholeBusiness: true });
}

/**
 * Lets marketing e-mail reach the address again: the row goes, and the customer it bounced for
 * (when still there) gets a timeline entry naming who lifted it.
 */
export async function liftSuppression(
  deps: Pick<Deps, "models" | "sequelize" | "clock">,
  ctx: TenantContext,
  suppression: EmailSuppression,
): Promise<void> {
  authorize(ctx, "campaigns.manage");
  await deps.sequelize.transaction(async (transaction) => {
    const { EmailSuppression: Suppressions, Customer } = deps.models;
    await Suppressions.destroy({
      where: tenantWhere(ctx, Suppressions, { id: suppression.id }, { wholeBusiness: true }),
      transaction,
    });
    const customer = suppression.customerId
      ? await Customer.findOne({
          where: tenantWhere(
            ctx,
            Customer,
            { id: suppression.customerId },
            { wholeBusiness: true },
          ),
          attributes: ["id"],
          transaction,
        })
      : null;
    if (customer)
      await recordEvents(
        deps,
        ctx,
        [
          {
            customerId: customer.id,
            kind: "email_unsuppressed",
            details: { email: suppression.email },
          },
        ],
        transaction,
      );
  });
}
