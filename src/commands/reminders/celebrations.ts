import { Op, type Transaction } from "sequelize";
import { celebratedMonthDays, monthDay } from "../../lib/dates";
import type { Models } from "../../models";
import { tenantWhere, type Scoped } from "../../tenancy/scope";

export type OccasionKind = "birthday" | "anniversary";

export interface Occasion {
  kind: OccasionKind;
  /** Years since the stored date, in the year being celebrated; null when that makes no sense. */
  years: number | null;
}

/** A customer celebrating something on a business's local date. */
export interface Celebration {
  customerId: number;
  name: string;
  phoneE164: string;
  ownerId: number | null;
  occasions: Occasion[];
}

/** The customers list filtered to today's birthdays and anniversaries (the member's own scope). */
export const celebratingTodayPath = "/customers?upcomingDays=0";
export const customerPath = (customerId: number) => `/customers/${customerId}`;

function yearsSince(since: string | null, localDate: string): number | null {
  if (!since) return null;
  const years = Number(localDate.slice(0, 4)) - Number(since.slice(0, 4));
  return years > 0 && years < 150 ? years : null;
}

/**
 * The customers of a business celebrating on `localDate`, by name. On the (business_id,
 * birthday_md) and (business_id, anniversary_md) indexes; a 29 February date also matches on
 * 28 February of a year without one (celebratedMonthDays).
 */
export async function findCelebrations(
  models: Models,
  scoped: Scoped,
  localDate: string,
  transaction?: Transaction,
): Promise<Celebration[]> {
  const days = celebratedMonthDays(localDate);
  const customers = await models.Customer.findAll({
    attributes: ["id", "name", "phoneE164", "ownerId", "birthDate", "anniversary"],
    where: tenantWhere(scoped, models.Customer, {
      [Op.or]: [{ birthdayMd: { [Op.in]: days } }, { anniversaryMd: { [Op.in]: days } }],
    }),
    order: [
      ["nameKey", "ASC"],
      ["id", "ASC"],
    ],
    transaction,
  });
  return customers.map((customer) => {
    const occasions: Occasion[] = [];
    for (const [kind, date] of [
      ["birthday", customer.birthDate],
      ["anniversary", customer.anniversary],
    ] as const) {
      if (date && days.includes(monthDay(date))) {
        occasions.push({ kind, years: yearsSince(date, localDate) });
      }
    }
    return {
      customerId: customer.id,
      name: customer.name,
      phoneE164: customer.phoneE164,
      ownerId: customer.ownerId,
      occasions,
    };
  });
}
