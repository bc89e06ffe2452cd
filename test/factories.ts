import { randomUUID } from "node:crypto";
import type { CreationAttributes } from "sequelize";
import { hashPassword } from "../src/lib/password";
import type { Models, Session, User } from "../src/models";

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
