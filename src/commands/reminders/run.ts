import { Transaction, UniqueConstraintError } from "sequelize";
import type { OutgoingMail } from "../../integrations/mail/types";
import { formatDate, zonedTime } from "../../lib/dates";
import { preferencesOf } from "../../lib/notificationPreferences";
import { formatPhone } from "../../lib/phone";
import { enqueueMail } from "../../integrations/mail/enqueue";
import type { Business, Models, Task, User } from "../../models";
import { can, seesOnlyOwnRecords } from "../../policies/permissions";
import { recordEvents } from "../customers/timeline";
import type { Deps } from "../../deps";
import { businessScope, tenantWhere, type TenantScope } from "../../tenancy/scope";
import { scheduleReminder } from "../tasks/reminders";
import {
  celebratingTodayPath,
  customerPath,
  findCelebrations,
  type Celebration,
} from "./celebrations";
import { notificationBody, notificationTitle, occasionText, wishTaskTitle } from "./messages";

export type ReminderBusiness = Pick<
  Business,
  "id" | "ownerId" | "name" | "country" | "timeZone" | "wishTasks"
>;

export interface RunResult {
  /** False when another scan had already claimed this business's day. */
  claimed: boolean;
  customers: number;
  notified: number;
  mailed: number;
  wishTasks: number;
}

/** A digest's list stops here; the mail links to the full list. */
const digestRows = 100;
const wishesDueAt = { hour: 18, minute: 0 };

/** Every member who can see customers, with the celebrations their role lets them see. */
async function recipients(
  models: Models,
  scope: TenantScope,
  celebrations: Celebration[],
  transaction: Transaction,
): Promise<{ memberIds: Set<number>; members: Array<{ user: User; visible: Celebration[] }> }> {
  const memberships = await models.Membership.findAll({
    where: tenantWhere(scope, models.Membership),
    include: [
      {
        model: models.User,
        as: "user",
        required: true,
        attributes: ["id", "name", "email", "notificationPrefs"],
      },
    ],
    order: [["id", "ASC"]],
    transaction,
  });
  const members = memberships
    .filter((m) => m.user && can(m.role, "customers.view"))
    .map((m) => ({
      user: m.user as User,
      // Sales members are reminded of the customers they own only, as the lists show them.
      visible: seesOnlyOwnRecords(m.role)
        ? celebrations.filter((c) => c.ownerId === m.userId)
        : celebrations,
    }))
    .filter((r) => r.visible.length > 0);
  return { memberIds: new Set(memberships.map((m) => m.userId)), members };
}

function digestMail(
  deps: Deps,
  business: ReminderBusiness,
  localDate: string,
  user: User,
  visible: Celebration[],
): OutgoingMail {
  const url = (path: string) => new URL(path, deps.config.APP_URL).toString();
  return {
    to: user.email,
    template: "reminders-digest",
    data: {
      name: user.name,
      businessName: business.name,
      date: formatDate(localDate),
      link: url(celebratingTodayPath),
      customers: visible.slice(0, digestRows).map((c) => ({
        name: c.name,
        occasion: occasionText(c.occasions),
        phone: formatPhone(c.phoneE164),
        link: url(customerPath(c.customerId)),
      })),
      more: Math.max(0, visible.length - digestRows),
    },
  };
}

/**
 * The day's reminders of one business. Inserting its reminder_runs row is the claim: the unique
 * (business_id, local_date) index lets exactly one scan, in any process, do the day; the
 * notifications and wish tasks are written in the same transaction, so a crash leaves all or
 * nothing. Digest e-mails are queued after the commit.
 */
export async function remindBusiness(
  deps: Deps,
  business: ReminderBusiness,
  localDate: string,
): Promise<RunResult> {
  const { models, sequelize } = deps;
  const result: RunResult = { claimed: false, customers: 0, notified: 0, mailed: 0, wishTasks: 0 };
  const mails: Array<{ mail: OutgoingMail; jobId: string }> = [];
  let wishTasks: Task[] = [];
  // IMMEDIATE: on SQLite the write lock is taken at BEGIN, so two scans queue up instead of
  // failing on a stale snapshot; MySQL ignores the type.
  // The business's own work: nobody asked, so it sees the whole business.
  const scope = businessScope(business.id);
  await sequelize.transaction({ type: Transaction.TYPES.IMMEDIATE }, async (transaction) => {
    const celebrations = await findCelebrations(models, scope, localDate, transaction);
    try {
      await models.ReminderRun.create(
        { businessId: business.id, localDate, customerCount: celebrations.length },
        { transaction },
      );
    } catch (error) {
      if (error instanceof UniqueConstraintError) return;
      throw error;
    }
    result.claimed = true;
    result.customers = celebrations.length;
    if (celebrations.length === 0) return;

    const dedupeKey = `reminders-${business.id}-${localDate}`;
    const { memberIds, members } = await recipients(models, scope, celebrations, transaction);
    await models.Notification.bulkCreate(
      members.map(({ user, visible }) => ({
        businessId: business.id,
        userId: user.id,
        kind: "reminders",
        title: notificationTitle(visible),
        body: notificationBody(visible),
        link: visible.length === 1 ? customerPath(visible[0]!.customerId) : celebratingTodayPath,
        dedupeKey,
        readAt: null,
      })),
      // The claim makes this once a day already; the (user_id, dedupe_key) index is the backstop.
      { transaction, ignoreDuplicates: true },
    );
    result.notified = members.length;
    for (const { user, visible } of members) {
      if (!preferencesOf(user).reminders) continue;
      mails.push({
        mail: digestMail(deps, business, localDate, user, visible),
        jobId: `${dedupeKey}-${user.id}-mail`,
      });
    }

    if (business.wishTasks) {
      wishTasks = await createWishTasks(deps, business, localDate, celebrations, {
        memberIds,
        transaction,
      });
    }
  });
  for (const { mail, jobId } of mails) {
    await enqueueMail(deps, mail, { jobId });
  }
  // Like any task with a due time, a wish task reminds its assignee before 18:00.
  for (const task of wishTasks) await scheduleReminder(deps, task);
  result.mailed = mails.length;
  result.wishTasks = wishTasks.length;
  return result;
}

/** One "send wishes" task per celebrating customer, for its owner (or the business owner). */
async function createWishTasks(
  deps: Pick<Deps, "models" | "clock">,
  business: ReminderBusiness,
  localDate: string,
  celebrations: Celebration[],
  options: { memberIds: Set<number>; transaction: Transaction },
): Promise<Task[]> {
  const dueAt = zonedTime(localDate, wishesDueAt, business.timeZone);
  const tasks: Task[] = [];
  for (const celebration of celebrations) {
    // A customer's owner who has left the team cannot act on the task.
    const ownerIsMember =
      celebration.ownerId !== null && options.memberIds.has(celebration.ownerId);
    const task = await deps.models.Task.create(
      {
        businessId: business.id,
        customerId: celebration.customerId,
        assigneeId: ownerIsMember ? celebration.ownerId : business.ownerId,
        createdById: null,
        title: wishTaskTitle(celebration),
        description: `${occasionText(celebration.occasions)} on ${formatDate(localDate)}.`,
        priority: "medium",
        status: "open",
        dueAt,
        remindedFor: null,
      },
      { transaction: options.transaction },
    );
    await recordEvents(
      deps,
      { businessId: business.id, actorId: null },
      [
        {
          customerId: celebration.customerId,
          kind: "task_created",
          details: { taskId: task.id, title: task.title },
        },
      ],
      options.transaction,
    );
    tasks.push(task);
  }
  return tasks;
}
