import { randomUUID } from "node:crypto";
import type { CreationAttributes } from "sequelize";
import { hashPassword } from "../src/lib/password";
import type { CustomerInput } from "../src/commands/customers/input";
import { attachTags, ensureTags } from "../src/commands/customers/tags";
import { customerColumns } from "../src/commands/customers/writes";
import type { Business, Customer, Membership, Models, Session, Task, User } from "../src/models";
import type { Role } from "../src/policies/permissions";

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
  await models.Business.increment("customerCount", { by: 1, where: { id: business.id } });
  const tags = await ensureTags(models, business.id, input.tags);
  await attachTags(models, business.id, [customer.id], tags);
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
