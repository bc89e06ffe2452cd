import type { Transaction } from "sequelize";
import type { Deps } from "../../../deps";
import type { Campaign, ConsentRule, SendAudience } from "../../../models";
import type { TenantContext } from "../../../tenancy/context";
import { findInBusiness } from "../../../tenancy/scope";
import { tenantSql, type SqlFragment, type TenantSql } from "../../../tenancy/sql";
import { joined, planFilter, sizedTags, tagSql } from "../../customers/filter";
import { segmentFilter } from "../../customers/segments";

/** The stored audience rule, read defensively (a bad value is "nobody", never "everyone"). */
export function parseAudience(text: string | null): SendAudience | null {
  if (!text) return null;
  try {
    const value = JSON.parse(text) as Partial<SendAudience>;
    if (value.kind === "all") return { kind: "all" };
    if (value.kind === "segment" && Number.isSafeInteger(value.segmentId))
      return { kind: "segment", segmentId: value.segmentId };
    if (value.kind === "tags" && Array.isArray(value.tagIds) && value.tagIds.length > 0)
      return { kind: "tags", tagIds: value.tagIds.filter((id) => Number.isSafeInteger(id)) };
    return null;
  } catch {
    return null;
  }
}

/** The column a channel sends to: WhatsApp number (else the phone), or e-mail. */
export function addressColumn(channel: "whatsapp" | "email", alias = "c"): string {
  return channel === "email"
    ? `${alias}.email`
    : `COALESCE(NULLIF(${alias}.whatsapp_e164, ''), ${alias}.phone_e164)`;
}

/** Whether customer `c`'s e-mail address hard-bounced before (commands/campaigns/suppression.ts). */
function suppressed(sql: TenantSql): SqlFragment {
  return sql.fragment`EXISTS (SELECT 1 FROM email_suppressions s WHERE ${sql.scoped("s")}
    AND s.email = LOWER(c.email))`;
}

/**
 * The conditions on customers aliased `c` that make them recipients: the audience rule (segment
 * filter, tags, or all), a reachable address (an e-mail not suppressed), not opted out, and with consent unless the rule
 * says every customer not opted out. The business-wide scope is the statement's own.
 */
export async function audienceConditions(
  deps: Pick<Deps, "sequelize" | "models" | "clock">,
  ctx: TenantContext,
  audience: SendAudience,
  channel: "whatsapp" | "email",
  consentRule: ConsentRule,
): Promise<SqlFragment[]> {
  const sql = tenantSql(deps, ctx);
  const conditions: SqlFragment[] = [
    sql.fragment`c.marketing_opted_out_at IS NULL`,
    channel === "email"
      ? sql.fragment`c.email IS NOT NULL AND c.email <> '' AND NOT ${suppressed(sql)}`
      : sql.fragment`${sql.raw(addressColumn(channel))} <> ''`,
  ];
  if (consentRule === "consented_only") conditions.push(sql.fragment`c.consent_at IS NOT NULL`);
  if (audience.kind === "segment") {
    const segment = await findInBusiness(ctx, deps.models.Segment, audience.segmentId);
    const plan = await planFilter(deps, ctx, segmentFilter(segment), "c");
    conditions.push(...plan.conditions);
  } else if (audience.kind === "tags") {
    const sized = await sizedTags(deps, ctx, { ids: audience.tagIds ?? [] });
    conditions.push(sized.ids.length ? tagSql(deps, ctx, "c", sized, false) : sql.fragment`1 = 0`);
  }
  return conditions;
}

export interface AudienceCount {
  total: number;
  reachable: number;
  optedOut: number;
  withoutConsent: number;
  /** Not opted out, but their e-mail address bounced before (e-mail campaigns only). */
  suppressed: number;
}

/** How many customers the campaign would reach now (the pre-flight). */
export async function countAudience(
  deps: Pick<Deps, "sequelize" | "models" | "clock">,
  ctx: TenantContext,
  campaign: Campaign,
): Promise<AudienceCount> {
  const audience = parseAudience(campaign.sendAudience);
  const channel = campaign.channel === "email" ? "email" : "whatsapp";
  if (!audience) return { total: 0, reachable: 0, optedOut: 0, withoutConsent: 0, suppressed: 0 };
  const sql = tenantSql(deps, ctx);
  const all = await audienceConditions(deps, ctx, audience, channel, "all_not_opted_out");
  // The rule's own conditions without opt-out and consent: who the audience names at all.
  const named = all.slice(2);
  const reachable = joined(sql, all);
  const [row] = await sql.select<Record<string, number | string | null>>`
    SELECT COUNT(*) AS total,
      SUM(CASE WHEN c.marketing_opted_out_at IS NOT NULL THEN 1 ELSE 0 END) AS opted_out,
      SUM(CASE WHEN c.marketing_opted_out_at IS NULL AND c.consent_at IS NULL THEN 1 ELSE 0 END)
        AS without_consent,
      SUM(CASE WHEN ${channel === "email" ? sql.fragment`c.marketing_opted_out_at IS NULL AND ${suppressed(sql)}` : sql.fragment`1 = 0`}
        THEN 1 ELSE 0 END) AS suppressed,
      SUM(CASE WHEN ${reachable} THEN 1 ELSE 0 END) AS reachable_all,
      SUM(CASE WHEN ${reachable} AND c.consent_at IS NOT NULL THEN 1 ELSE 0 END)
        AS reachable_consented
    FROM customers c WHERE ${sql.scoped("c")} AND ${joined(sql, named)}`;
  const n = (v: unknown) => Number(v ?? 0);
  return {
    total: n(row?.total),
    optedOut: n(row?.opted_out),
    withoutConsent: n(row?.without_consent),
    suppressed: n(row?.suppressed),
    reachable:
      campaign.consentRule === "consented_only"
        ? n(row?.reachable_consented)
        : n(row?.reachable_all),
  };
}

/**
 * Freezes the audience into campaign_recipients in one INSERT … SELECT (inside the caller's
 * transaction): one queued row per customer, with the address it will be sent to.
 */
export async function freezeAudience(
  deps: Pick<Deps, "sequelize" | "models" | "clock">,
  ctx: TenantContext,
  campaign: Campaign,
  transaction: Transaction,
): Promise<number> {
  const audience = parseAudience(campaign.sendAudience);
  if (!audience) return 0;
  const channel = campaign.channel === "email" ? "email" : "whatsapp";
  const conditions = await audienceConditions(deps, ctx, audience, channel, campaign.consentRule);
  const sql = tenantSql(deps, ctx, transaction);
  const now = deps.clock.now();
  await sql.run`
    INSERT INTO campaign_recipients (business_id, campaign_id, customer_id, channel, address,
      status, retryable, attempts, created_at, updated_at)
    SELECT ${sql.businessId}, ${campaign.id}, c.id, ${channel},
      ${sql.raw(channel === "email" ? "LOWER(c.email)" : addressColumn(channel))},
      'queued', 0, 0, ${now}, ${now}
    FROM customers c WHERE ${sql.scoped("c")} AND ${joined(sql, conditions)}
    ORDER BY c.id`;
  const [row] = await sql.select<{ n: number | string }>`
    SELECT COUNT(*) AS n FROM campaign_recipients r
    WHERE ${sql.scoped("r")} AND r.campaign_id = ${campaign.id}`;
  return Number(row?.n ?? 0);
}
