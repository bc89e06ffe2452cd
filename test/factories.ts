import { randomUUID } from "node:crypto";
import type { CreationAttributes } from "sequelize";
import { hashPassword } from "../src/lib/password";
import type { Business, Membership, Models, Session, User } from "../src/models";
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
