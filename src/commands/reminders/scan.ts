import { Op } from "sequelize";
import { celebratedMonthDays, isoDate, localParts } from "../../lib/dates";
import type { Logger } from "../../logger";
import type { Models } from "../../models";
import type { Deps } from "../../deps";
import { acrossBusinesses } from "../../tenancy/scope";
import { remindBusiness, type ReminderBusiness } from "./run";

export type ReminderDeps = Deps & { logger: Logger };

/** Local hour from which a business's day is reminded. */
export const reminderHour = 9;

export interface ScanOptions {
  now: Date;
  /** Only these businesses (tests: the test database is shared by parallel test files). */
  businessIds?: number[];
  batchSize?: number;
}

export interface ScanSummary {
  /** Businesses past 09:00 local with no run for their local date when the scan looked. */
  due: number;
  /** Runs this scan made, with someone to celebrate. */
  reminded: Array<{ businessId: number; localDate: string; customers: number; mailed: number }>;
  /** Runs this scan recorded with nobody to celebrate. */
  quiet: number;
  failed: number;
}

interface DueDay {
  business: ReminderBusiness;
  localDate: string;
}

/** The businesses of a batch whose local clock is at or past 09:00, with their local date. */
function pastReminderHour(batch: ReminderBusiness[], now: Date, logger: Logger): DueDay[] {
  const due: DueDay[] = [];
  for (const business of batch) {
    try {
      const local = localParts(now, business.timeZone);
      if (local.hour < reminderHour) continue;
      due.push({ business, localDate: isoDate(local.year, local.month, local.day) });
    } catch (err) {
      // An unknown zone in the row must not stop the other businesses' reminders.
      logger.error({ err, businessId: business.id }, "reminders: bad time zone");
    }
  }
  return due;
}

/** Drops the days that already have their run (one query per batch). */
async function withoutRun(models: Models, days: DueDay[]): Promise<DueDay[]> {
  if (days.length === 0) return days;
  const runs = await models.ReminderRun.findAll({
    attributes: ["businessId", "localDate"],
    where: acrossBusinesses("the reminder scan reads a batch of businesses at once", {
      businessId: { [Op.in]: days.map((d) => d.business.id) },
      localDate: { [Op.in]: [...new Set(days.map((d) => d.localDate))] },
    }),
  });
  const done = new Set(runs.map((r) => `${r.businessId}|${r.localDate}`));
  return days.filter((d) => !done.has(`${d.business.id}|${d.localDate}`));
}

/** Which of these days have at least one customer to celebrate (one query per local date). */
async function celebrating(models: Models, days: DueDay[]): Promise<Set<number>> {
  const found = new Set<number>();
  for (const localDate of new Set(days.map((d) => d.localDate))) {
    const md = celebratedMonthDays(localDate);
    const rows = await models.Customer.findAll({
      attributes: ["businessId"],
      where: acrossBusinesses("the reminder scan reads a batch of businesses at once", {
        businessId: {
          [Op.in]: days.filter((d) => d.localDate === localDate).map((d) => d.business.id),
        },
        [Op.or]: [{ birthdayMd: { [Op.in]: md } }, { anniversaryMd: { [Op.in]: md } }],
      }),
      group: ["businessId"],
    });
    for (const row of rows) found.add(row.businessId);
  }
  return found;
}

/**
 * One pass over every business (in id order, in batches): each one whose local time is at or past
 * 09:00 and whose local date has no reminder run yet gets its run now. Runs every 15 minutes (zones
 * have :30 and :45 offsets) and once at start, so a 09:00 missed while the process was down is
 * caught up the same local day; a day that ended while it was down is not replayed.
 */
export async function scanReminders(
  deps: ReminderDeps,
  options: ScanOptions,
): Promise<ScanSummary> {
  const { models, logger } = deps;
  const summary: ScanSummary = { due: 0, reminded: [], quiet: 0, failed: 0 };
  const batchSize = options.batchSize ?? 500;
  let afterId = 0;
  for (;;) {
    const idCondition = options.businessIds
      ? { [Op.gt]: afterId, [Op.in]: options.businessIds }
      : { [Op.gt]: afterId };
    const batch = await models.Business.findAll({
      attributes: ["id", "ownerId", "name", "country", "timeZone", "wishTasks"],
      where: acrossBusinesses("the scan walks every business in id order", { id: idCondition }),
      order: [["id", "ASC"]],
      limit: batchSize,
    });
    if (batch.length === 0) return summary;
    afterId = batch[batch.length - 1]!.id;

    const due = await withoutRun(models, pastReminderHour(batch, options.now, logger));
    summary.due += due.length;
    const busy = await celebrating(models, due);
    // Days with nobody to celebrate are only marked done: one statement for the whole batch.
    const quiet = due.filter((d) => !busy.has(d.business.id));
    if (quiet.length > 0) {
      await models.ReminderRun.bulkCreate(
        quiet.map((d) => ({ businessId: d.business.id, localDate: d.localDate, customerCount: 0 })),
        { ignoreDuplicates: true },
      );
      summary.quiet += quiet.length;
    }
    for (const { business, localDate } of due.filter((d) => busy.has(d.business.id))) {
      try {
        const result = await remindBusiness(deps, business, localDate);
        if (!result.claimed) continue;
        summary.reminded.push({
          businessId: business.id,
          localDate,
          customers: result.customers,
          mailed: result.mailed,
        });
      } catch (err) {
        // Failed before its commit, the day stays unclaimed and the next scan tries it again.
        summary.failed += 1;
        logger.error({ err, businessId: business.id, localDate }, "reminders: run failed");
      }
    }
  }
}
