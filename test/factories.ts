import { randomUUID } from "node:crypto";
import type { CreationAttributes } from "sequelize";
import { hashPassword } from "../src/lib/password";
import { newToken } from "../src/lib/tokens";
import type { CustomerInput } from "../src/commands/customers/input";
import { attachTags, ensureTags } from "../src/commands/customers/tags";
import { customerColumns } from "../src/commands/customers/writes";
import type {
  ActivityLog,
  Business,
  Customer,
  Import,
  ImportChange,
  ImportRowError,
  Invitation,
  Membership,
  Models,
  Note,
  Notification,
  RefreshToken,
  ReminderRun,
  Segment,
  Session,
  Tag,
  Task,
  TimelineEvent,
  User,
  UserToken,
} from "../src/models";
import type { Role } from "../src/policies/permissions";
import { businessScope, ownBusiness } from "../src/tenancy/scope";

/**
 * Test data, the way the app writes it. Every `buildX(models, overrides)` builds the parents it
 * is not given (a note without a customer gets one, in a new business unless `businessId` names
 * one), so a test's set-up is a line per record it cares about.
 */

export const defaultPassword = "correct horse battery staple";
let defaultPasswordHash: Promise<string> | undefined;

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.test`;
}

/** An activated user whose password is `defaultPassword` unless overridden. */
export async function buildUser(
  models: Models,
  overrides: Partial<CreationAttributes<User>> = {},
): Promise<User> {
  defaultPasswordHash ??= hashPassword(defaultPassword);
  return models.User.create({
    name: "Test User",
    email: uniqueEmail(),
    passwordHash: await defaultPasswordHash,
    activatedAt: new Date(),
    ...overrides,
  });
}

/** A session row; pass `expiresAt` in the past for an expired one. Builds its user when missing. */
export async function buildSession(
  models: Models,
  overrides: Partial<CreationAttributes<Session>> = {},
): Promise<Session> {
  const userId = overrides.userId === undefined ? (await buildUser(models)).id : overrides.userId;
  const now = new Date();
  return models.Session.create({
    sid: randomUUID().replace(/-/g, ""),
    data: JSON.stringify({ cookie: {}, userId }),
    expiresAt: new Date(now.getTime() + 60 * 60 * 1000),
    lastSeenAt: now,
    ip: "127.0.0.1",
    userAgent: "jest",
    ...overrides,
    userId,
  });
}

/** A business with its owner (built when not given) as an owner member. */
export async function buildBusiness(
  models: Models,
  overrides: Partial<CreationAttributes<Business>> & { owner?: User } = {},
): Promise<{ business: Business; owner: User }> {
  const { owner: givenOwner, ...fields } = overrides;
  const owner = givenOwner ?? (await buildUser(models, { name: "Owner Person" }));
  const business = await models.Business.create({
    name: `Business ${randomUUID().slice(0, 6)}`,
    country: "IN",
    timeZone: "Asia/Kolkata",
    currency: "INR",
    ownerId: owner.id,
    ...fields,
  });
  await models.Membership.create({ businessId: business.id, userId: owner.id, role: "owner" });
  return { business, owner };
}

/** A member of `business` with `role`; builds the user when not given. */
export async function buildMember(
  models: Models,
  business: Business,
  role: Role,
  user?: User,
): Promise<{ user: User; membership: Membership }> {
  const member = user ?? (await buildUser(models, { name: `${role} member` }));
  const membership = await models.Membership.create({
    businessId: business.id,
    userId: member.id,
    role,
  });
  return { user: member, membership };
}

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

let sequence = 0;
/** A short string unique in this test process (names that must be unique per business). */
export function unique(prefix: string): string {
  sequence += 1;
  return `${prefix}-${sequence}-${randomUUID().slice(0, 6)}`;
}

/** The business `businessId` names, or a new one (with its owner). */
export async function businessFor(models: Models, businessId?: number): Promise<Business> {
  if (businessId === undefined) return (await buildBusiness(models)).business;
  const business = await models.Business.findByPk(businessId);
  if (!business) throw new Error(`factories: no business ${businessId}`);
  return business;
}

/** The customer `customerId` names, or a new one of the business. */
async function customerFor(
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

/**
 * A finished import of a business (built when not given), started by its owner, with no stored
 * file: history, error reports and undo have something to show.
 */
export async function buildImport(
  models: Models,
  overrides: Partial<CreationAttributes<Import>> = {},
): Promise<Import> {
  const business = await businessFor(models, overrides.businessId);
  return models.Import.create({
    userId: business.ownerId,
    fileName: "customers.csv",
    storedName: null,
    fileSize: 1024,
    format: "csv",
    status: "completed",
    settings: "{}",
    ...overrides,
    businessId: business.id,
  });
}

async function importFor(models: Models, importId?: number): Promise<Import> {
  if (importId === undefined) return buildImport(models);
  const record = await models.Import.findByPk(importId);
  if (!record) throw new Error(`factories: no import ${importId}`);
  return record;
}

/** A row an import (built when not given) did not take. */
export async function buildImportRowError(
  models: Models,
  overrides: Partial<CreationAttributes<ImportRowError>> = {},
): Promise<ImportRowError> {
  const record = await importFor(models, overrides.importId);
  return models.ImportRowError.create({
    sourceRow: 2,
    kind: "invalid",
    rowValues: JSON.stringify(["Asha", "12"]),
    messages: JSON.stringify(["Enter a valid phone number."]),
    ...overrides,
    importId: record.id,
    businessId: record.businessId,
  });
}

/** A customer change an import (built when not given) made, kept for undo. */
export async function buildImportChange(
  models: Models,
  overrides: Partial<CreationAttributes<ImportChange>> = {},
): Promise<ImportChange> {
  const record = await importFor(models, overrides.importId);
  const customer = await customerFor(models, {
    businessId: record.businessId,
    customerId: overrides.customerId,
  });
  return models.ImportChange.create({
    beforeValues: JSON.stringify({ email: null }),
    afterValues: JSON.stringify({ email: "asha@example.test" }),
    addedTagIds: "[]",
    ...overrides,
    importId: record.id,
    businessId: record.businessId,
    customerId: customer.id,
  });
}

/**
 * A pending invitation to a business (built when not given), by its owner, valid a week. Its
 * link's token is returned beside it (only the hash is stored).
 */
export async function buildInvitation(
  models: Models,
  overrides: Partial<CreationAttributes<Invitation>> = {},
): Promise<{ invitation: Invitation; token: string }> {
  const business = await businessFor(models, overrides.businessId);
  const { token, hash } = newToken();
  const invitation = await models.Invitation.create({
    email: uniqueEmail("invitee"),
    role: "sales",
    tokenHash: hash,
    invitedById: business.ownerId,
    expiresAt: new Date(Date.now() + 7 * 86_400_000),
    acceptedAt: null,
    ...overrides,
    businessId: business.id,
  });
  return { invitation, token };
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

/** An entry of a user's activity log (a new user unless given; no business unless given). */
export async function buildActivityLog(
  models: Models,
  overrides: Partial<CreationAttributes<ActivityLog>> = {},
): Promise<ActivityLog> {
  const userId = overrides.userId ?? (await buildUser(models)).id;
  return models.ActivityLog.create({
    businessId: null,
    action: "auth.sign_in",
    ip: "127.0.0.1",
    userAgent: "jest",
    details: null,
    ...overrides,
    userId,
  });
}

/** An API refresh token of a session (built, with its user, when not given). */
export async function buildRefreshToken(
  models: Models,
  overrides: Partial<CreationAttributes<RefreshToken>> = {},
): Promise<{ refreshToken: RefreshToken; token: string }> {
  const session = overrides.sessionSid
    ? await models.Session.findByPk(overrides.sessionSid)
    : await buildSession(models, { userId: overrides.userId, kind: "api" });
  if (!session) throw new Error(`factories: no session ${overrides.sessionSid}`);
  const { token, hash } = newToken();
  const refreshToken = await models.RefreshToken.create({
    tokenHash: hash,
    expiresAt: new Date(Date.now() + 30 * 86_400_000),
    usedAt: null,
    revokedAt: null,
    ...overrides,
    userId: session.userId as number,
    sessionSid: session.sid,
  });
  return { refreshToken, token };
}

/** An e-mailed single-use token of a user (built when not given): activation unless given. */
export async function buildUserToken(
  models: Models,
  overrides: Partial<CreationAttributes<UserToken>> = {},
): Promise<{ userToken: UserToken; token: string }> {
  const userId = overrides.userId ?? (await buildUser(models)).id;
  const { token, hash } = newToken();
  const userToken = await models.UserToken.create({
    purpose: "activation",
    tokenHash: hash,
    data: null,
    expiresAt: new Date(Date.now() + 86_400_000),
    usedAt: null,
    ...overrides,
    userId,
  });
  return { userToken, token };
}
