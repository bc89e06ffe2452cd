import { Op } from "sequelize";
import { hashToken, newToken } from "../lib/tokens";
import type { Models, TokenPurpose, UserToken } from "../models";

export const tokenLifetimes: Record<TokenPurpose, number> = {
  activation: 48 * 60 * 60 * 1000,
  password_reset: 60 * 60 * 1000,
  email_change: 24 * 60 * 60 * 1000,
};

/** Issues a single-use token; earlier unused tokens of the same purpose stop working. */
export async function issueUserToken(
  models: Models,
  userId: number,
  purpose: TokenPurpose,
  data: string | null = null,
): Promise<string> {
  const now = new Date();
  await models.UserToken.update(
    { usedAt: now },
    { where: { userId, purpose, usedAt: null, expiresAt: { [Op.gt]: now } } },
  );
  const { token, hash } = newToken();
  await models.UserToken.create({
    userId,
    purpose,
    tokenHash: hash,
    data,
    expiresAt: new Date(now.getTime() + tokenLifetimes[purpose]),
    usedAt: null,
  });
  return token;
}

/** The live token for this purpose, or null (unknown, used or expired all look the same). */
export async function findUsableToken(
  models: Models,
  token: string,
  purpose: TokenPurpose,
): Promise<UserToken | null> {
  if (!token || token.length > 200) return null;
  return models.UserToken.findOne({
    where: {
      tokenHash: hashToken(token),
      purpose,
      usedAt: null,
      expiresAt: { [Op.gt]: new Date() },
    },
  });
}

/** Marks a token used; false when another request used it first (single use under races). */
export async function consumeToken(models: Models, token: UserToken): Promise<boolean> {
  const [updated] = await models.UserToken.update(
    { usedAt: new Date() },
    { where: { id: token.id, usedAt: null } },
  );
  return updated === 1;
}
