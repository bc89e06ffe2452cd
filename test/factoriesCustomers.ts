import type { CreationAttributes } from "sequelize";
import type { CustomerInput } from "../src/commands/customers/input";
import { attachTags, ensureTags } from "../src/commands/customers/tags";
import { customerColumns } from "../src/commands/customers/writes";
import type {
  Business,
  Customer,
  Models,
  Note,
  Notification,
  ReminderRun,
  Segment,
  Tag,
  Task,
  TimelineEvent,
} from "../src/models";
import { businessScope, ownBusiness } from "../src/tenancy/scope";
import { businessFor, unique } from "./factoriesAccounts";

/** Factories for customers and what hangs off them: tasks, notes, tags, segments, reminders. */

let phoneSequence = 0;

/** A unique valid Indian mobile number in E.164 (+91 9xxxxxxxxx). */
export function uniquePhone(): string {
  phoneSequence += 1;
  const tail = (Date.now() % 1_000_000) * 1000 + (phoneSequence % 1000);
  return `+919${String(tail).padStart(9, "0").slice(-9)}`;
}

/** A customer of `business` written the way the app writes one (search columns, count, tags). */
export async function buildCustomer(
  models: Models,
  business: Business,
  overrides: Partial<CustomerInput> = {},
): Promise<Customer> {
  const input: CustomerInput = {
    name: "Asha Verma",
    email: null,
    phoneE164: uniquePhone(),
    whatsappE164: "",
    tags: [],
    consentAt: null,
    birthDate: null,
    anniversary: null,
    ownerId: business.ownerId,
    ...overrides,
  };
  input.whatsappE164 ||= input.phoneE164;
  const customer = await models.Customer.create({
    businessId: business.id,
    ownerId: input.ownerId,
    ...customerColumns(input),
  });
  const scope = businessScope(business.id);
  await models.Business.increment("customerCount", { by: 1, where: ownBusiness(scope) });
  const tags = await ensureTags(models, scope, input.tags);
  await attachTags(models, scope, [customer.id], tags);
  return customer;
}

/** A task of `business`, by its owner and assigned to them unless overridden (no reminder queued). */
export async function buildTask(
  models: Models,
  business: Business,
  overrides: Partial<CreationAttributes<Task>> = {},
): Promise<Task> {
  return models.Task.create({
    businessId: business.id,
    customerId: null,
    assigneeId: business.ownerId,
    createdById: business.ownerId,
    title: "Call back about the quote",
    description: null,
    priority: "medium",
    status: "open",
    dueAt: null,
    remindedFor: null,
    ...overrides,
  });
}

/** The customer `customerId` names, or a new one of the business. */
export async function customerFor(
  models: Models,
  overrides: { businessId?: number; customerId?: number },
): Promise<Customer> {
  if (overrides.customerId !== undefined) {
    const customer = await models.Customer.findByPk(overrides.customerId);
    if (!customer) throw new Error(`factories: no customer ${overrides.customerId}`);
    return customer;
  }
  return buildCustomer(models, await businessFor(models, overrides.businessId));
}

/** A note on a customer (built when not given), written by the business's owner. */
export async function buildNote(
  models: Models,
  overrides: Partial<CreationAttributes<Note>> = {},
): Promise<Note> {
  const customer = await customerFor(models, overrides);
  const business = await businessFor(models, customer.businessId);
  return models.Note.create({
    businessId: business.id,
    customerId: customer.id,
    authorId: business.ownerId,
    body: "Prefers WhatsApp; call after 6 pm.",
    ...overrides,
  });
}

/** A tag of a business (built when not given), with a unique name. */
export async function buildTag(
  models: Models,
  overrides: Partial<CreationAttributes<Tag>> = {},
): Promise<Tag> {
  const business = await businessFor(models, overrides.businessId);
  return models.Tag.create({ name: unique("tag"), ...overrides, businessId: business.id });
}

/** A saved customer filter of a business (built when not given). */
export async function buildSegment(
  models: Models,
  overrides: Partial<CreationAttributes<Segment>> = {},
): Promise<Segment> {
  const business = await businessFor(models, overrides.businessId);
  return models.Segment.create({
    name: unique("Segment"),
    filters: JSON.stringify({ q: "a" }),
    createdById: business.ownerId,
    ...overrides,
    businessId: business.id,
  });
}

/** A timeline event of a customer (built when not given). */
export async function buildTimelineEvent(
  models: Models,
  overrides: Partial<CreationAttributes<TimelineEvent>> = {},
): Promise<TimelineEvent> {
  const customer = await customerFor(models, overrides);
  const business = await businessFor(models, customer.businessId);
  return models.TimelineEvent.create({
    businessId: business.id,
    customerId: customer.id,
    actorId: business.ownerId,
    kind: "updated",
    details: JSON.stringify({ changes: { name: ["Before", "After"] } }),
    ...overrides,
  });
}

/** An unread in-app notification for a member (the business's owner unless given). */
export async function buildNotification(
  models: Models,
  overrides: Partial<CreationAttributes<Notification>> = {},
): Promise<Notification> {
  const business = await businessFor(models, overrides.businessId);
  return models.Notification.create({
    userId: business.ownerId,
    kind: "task_due",
    title: "Task due: call back",
    body: null,
    link: null,
    dedupeKey: unique("notification"),
    readAt: null,
    ...overrides,
    businessId: business.id,
  });
}

let reminderDay = 0;
/** A day's reminder run of a business (a distinct day each time unless given). */
export async function buildReminderRun(
  models: Models,
  overrides: Partial<CreationAttributes<ReminderRun>> = {},
): Promise<ReminderRun> {
  const business = await businessFor(models, overrides.businessId);
  reminderDay += 1;
  const localDate = new Date(Date.UTC(2030, 0, reminderDay)).toISOString().slice(0, 10);
  return models.ReminderRun.create({
    localDate,
    customerCount: 0,
    ...overrides,
    businessId: business.id,
  });
}
