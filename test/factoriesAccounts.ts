import { randomUUID } from "node:crypto";
import type { CreationAttributes } from "sequelize";
import { hashPassword } from "../src/lib/password";
import { newToken } from "../src/lib/tokens";
import type {
  ActivityLog,
  Business,
  Invitation,
  Membership,
  Models,
  RefreshToken,
  Session,
  User,
  UserToken,
} from "../src/models";
import type { Role } from "../src/policies/permissions";

/** Factories for people and their access: users, sessions, businesses, members, tokens. */

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
  // As the team commands do: pages remember the members per setup version (commands/setup.ts).
  await models.Business.increment("setupVersion", { by: 1, where: { id: business.id } });
  return { user: member, membership };
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
