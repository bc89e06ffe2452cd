import { Op } from "sequelize";
import type { Deps } from "../deps";
import { enqueueMail } from "../integrations/mail/enqueue";
import type { Notification } from "../models";
import { acrossBusinesses } from "../tenancy/scope";

/**
 * The batched notification e-mail (issue 15, item 4): notify() marks what each person wants by
 * e-mail as mail_status 'pending'; this sweep, every five minutes (notifications/mailStep.ts), sends one e-mail
 * per person and business listing everything pending (ten assignments in a minute are one
 * e-mail, not ten), through the mail queue and its outbox. The mail job's id is derived from the
 * newest notification it carries, so a sweep that dies between queueing and marking sends nothing
 * twice when it runs again.
 */
export type MailSweepDeps = Pick<Deps, "models" | "jobs" | "config">;

/** At most this many notifications per sweep; the next sweep takes the rest. */
export const sweepBatch = 1000;
/** At most this many listed in one e-mail (the rest are counted). */
const listedPerMail = 20;

function absolute(appUrl: string, path: string): string {
  return new URL(path, appUrl).toString();
}

export async function sendNotificationMails(deps: MailSweepDeps): Promise<number> {
  const { models } = deps;
  const pending = await models.Notification.findAll({
    where: acrossBusinesses("the mail sweep serves every business's pending notifications", {
      mailStatus: "pending",
    }),
    order: [["id", "ASC"]],
    limit: sweepBatch,
  });
  if (pending.length === 0) return 0;
  const groups = new Map<string, Notification[]>();
  for (const row of pending) {
    const key = `${row.userId}:${row.businessId}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const users = new Map(
    (
      await models.User.findAll({
        where: { id: [...new Set(pending.map((n) => n.userId))] },
        attributes: ["id", "name", "email"],
      })
    ).map((u) => [u.id, u]),
  );
  const businesses = new Map(
    (
      await models.Business.findAll({
        where: { id: [...new Set(pending.map((n) => n.businessId))] },
        attributes: ["id", "name"],
      })
    ).map((b) => [b.id, b]),
  );
  const appUrl = deps.config.APP_URL;
  let mails = 0;
  for (const rows of groups.values()) {
    const first = rows[0]!;
    const user = users.get(first.userId);
    const business = businesses.get(first.businessId);
    const newest = rows[rows.length - 1]!;
    if (user && business) {
      const listed = rows.slice(-listedPerMail).reverse();
      await enqueueMail(
        deps,
        {
          to: user.email,
          template: "notifications",
          data: {
            name: user.name,
            businessName: business.name,
            count: rows.length,
            firstTitle: first.title,
            more: rows.length - listed.length,
            link: absolute(appUrl, "/notifications"),
            items: listed.map((n) => ({
              title: n.title,
              body: n.body,
              link: absolute(appUrl, n.link ?? "/notifications"),
            })),
          },
        },
        { jobId: `notification-mail-${user.id}-${business.id}-${newest.id}` },
      );
      mails += 1;
    }
    // Sent, or nobody left to send to (the member or business is gone): not pending any more.
    await models.Notification.update(
      { mailStatus: "sent" },
      {
        where: acrossBusinesses("marks the rows this sweep read", {
          id: { [Op.in]: rows.map((n) => n.id) },
          mailStatus: "pending",
        }),
      },
    );
  }
  return mails;
}
