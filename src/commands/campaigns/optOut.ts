import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { findInBusiness, scopeOf, type Scoped } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import { recordEvents } from "../customers/timeline";

export interface OptOutInput {
  customerId: number;
  /** Why, in a few words: "Replied STOP", "One-click unsubscribe", "Asked by phone". */
  reason: string;
  /** Where the opt-out came from: whatsapp, email, or manual (a member). */
  channel: "whatsapp" | "email" | "manual";
}

export interface OptOutResult {
  /** False when the customer had already opted out (nothing but queued rows changed). */
  optedOut: boolean;
  /** Queued campaign recipients of this customer now marked opted_out. */
  withdrawn: number;
}

/**
 * Opts a customer out of marketing on every channel: the customer's marketing_opted_out_at, every
 * queued recipient of theirs in any campaign marked opted_out (a send already claimed is past
 * stopping), and one timeline entry. Repeating it changes nothing more. `ctx` is a member's
 * context (an opt-out by hand) or a business scope (webhooks, unsubscribe links: no actor).
 */
export async function optOutCustomer(
  deps: Pick<Deps, "sequelize" | "models" | "clock">,
  ctx: Scoped,
  input: OptOutInput,
): Promise<OptOutResult> {
  const reason = input.reason.trim().slice(0, 191);
  if (!reason) throw AppError.validation({ reason: "Say why the customer opted out." });
  const now = deps.clock.now();
  return deps.sequelize.transaction(async (transaction) => {
    // Opt-outs are business-wide: a STOP reaches whoever owns the customer.
    const customer = await findInBusiness(ctx, deps.models.Customer, input.customerId, {
      wholeBusiness: true,
      transaction,
    });
    const sql = tenantSql(deps, ctx, transaction);
    const marked = await sql.changed`
      UPDATE customers SET marketing_opted_out_at = ${now},
        marketing_opt_out_reason = ${reason}, updated_at = ${now}
      WHERE ${sql.scoped("customers")} AND id = ${customer.id}
        AND marketing_opted_out_at IS NULL`;
    const withdrawn = await sql.changed`
      UPDATE campaign_recipients SET status = 'opted_out', next_attempt_at = NULL,
        updated_at = ${now}
      WHERE ${sql.scoped("campaign_recipients")} AND customer_id = ${customer.id}
        AND status = 'queued'`;
    if (marked > 0)
      await recordEvents(
        deps,
        "business" in ctx ? ctx : { businessId: scopeOf(ctx).businessId, actorId: null },
        [
          {
            customerId: customer.id,
            kind: "marketing_opted_out",
            details: { reason, channel: input.channel, withdrawn },
          },
        ],
        transaction,
      );
    return { optedOut: marked > 0, withdrawn };
  });
}
