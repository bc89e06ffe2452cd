import { z } from "zod";
import { analyticsPeriods } from "../../commands/analytics/period";
import { defaultCurrency } from "../../commands/deals/input";
import { parseAmount } from "../../commands/deals/money";
import type { TenantContext } from "../../tenancy/context";

const blank = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

const messages = {
  period: `Choose a period: ${analyticsPeriods.join(", ")}.`,
  month: "Choose a month as YYYY-MM.",
  amount: "Enter a monthly target such as 5,00,000 or leave it empty.",
};

const month = z
  .string()
  .trim()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, messages.month);

/** GET /analytics: the period leads are counted over, and the month members are judged on. */
export const analyticsQuerySchema = z.object({
  period: z.preprocess(blank, z.enum(analyticsPeriods, { error: messages.period }).default("12m")),
  month: z.preprocess(blank, month.optional()),
});

export const targetsQuerySchema = z.object({ month: z.preprocess(blank, month.optional()) });

/**
 * POST /analytics/targets: the month, and a `target_<memberId>` field per member typed as the
 * business's currency shows it (blank: no target of its own from that month).
 */
export const targetsFormFor = (ctx: TenantContext) => {
  const currency = defaultCurrency(ctx);
  return z
    .object({ month })
    .catchall(z.unknown())
    .transform((value, issues) => {
      const entries: Array<{ userId: number; amountMinor: number | null }> = [];
      for (const [key, raw] of Object.entries(value)) {
        const match = /^target_([1-9]\d{0,14})$/.exec(key);
        if (!match) continue;
        const text = typeof raw === "string" ? raw.trim() : "";
        const amountMinor = text === "" ? null : parseAmount(text, currency);
        if (text !== "" && amountMinor === null) {
          issues.addIssue({ code: "custom", path: [key], message: messages.amount });
          continue;
        }
        entries.push({ userId: Number(match[1]), amountMinor });
      }
      return { month: value.month, entries };
    });
};
