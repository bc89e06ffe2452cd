import { randomBytes } from "node:crypto";
import { Op } from "sequelize";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { hashToken } from "../lib/tokens";
import type { PersonalToken } from "../models/PersonalToken";
import { acrossBusinesses, tenantWhere } from "../tenancy/scope";
import type { TenantContext } from "../tenancy/context";

/**
 * Personal API tokens: a member creates one for a business with scopes and an expiry, sees it
 * once, and uses it as `Authorization: Bearer crm_pat_…`. The token acts as that member (their
 * role in that business) limited to its scopes. Only its SHA-256 is stored: the token has 240
 * random bits, so a fast hash is as good as a slow one and lets a lookup use an index.
 */
export const personalTokenPrefix = "crm_pat_";
/** What a secret scanner can match: the prefix and 40 base64url characters. */
export const personalTokenPattern = /^crm_pat_[A-Za-z0-9_-]{40}$/;

/** Expiries offered, in days. No token lives longer than a year: a leaked one dies on its own. */
export const expiryChoices = [7, 30, 90, 365] as const;
export type ExpiryDays = (typeof expiryChoices)[number];

/** Last use is written at most this often per token, not on every request. */
export const lastUsedIntervalMs = 60_000;

type TokenDeps = Pick<Deps, "models" | "clock">;

export interface NewPersonalToken {
  name: string;
  scopes: string[];
  expiresInDays: ExpiryDays;
}

/** Creates a token for the member in their current business; the token itself is returned once. */
export async function createPersonalToken(
  deps: TokenDeps,
  ctx: TenantContext,
  input: NewPersonalToken,
): Promise<{ token: string; record: PersonalToken }> {
  const token = `${personalTokenPrefix}${randomBytes(30).toString("base64url")}`;
  const now = deps.clock.now();
  const record = await deps.models.PersonalToken.create({
    businessId: ctx.business.id,
    userId: ctx.user.id,
    name: input.name,
    tokenHint: token.slice(0, personalTokenPrefix.length + 4),
    tokenHash: hashToken(token),
    scopes: [...new Set(input.scopes)].sort().join(" "),
    expiresAt: new Date(now.getTime() + input.expiresInDays * 86_400_000),
  });
  return { token, record };
}

/** The member's own tokens in this business, newest first (revoked ones too, marked). */
export async function personalTokensOf(
  deps: TokenDeps,
  ctx: TenantContext,
): Promise<PersonalToken[]> {
  const { PersonalToken } = deps.models;
  return PersonalToken.findAll({
    where: tenantWhere(ctx, PersonalToken, { userId: ctx.user.id }),
    order: [["id", "DESC"]],
  });
}

/** One of the member's own tokens, or 404 (another member's token does not exist for them). */
export async function findPersonalToken(
  deps: TokenDeps,
  ctx: TenantContext,
  id: number,
): Promise<PersonalToken> {
  const { PersonalToken } = deps.models;
  const token = await PersonalToken.findOne({
    where: tenantWhere(ctx, PersonalToken, { id, userId: ctx.user.id }),
  });
  if (!token) throw AppError.notFound("That token does not exist.");
  return token;
}

/** Revokes a token at once: its next request is a 401. Revoking twice changes nothing. */
export async function revokePersonalToken(deps: TokenDeps, token: PersonalToken): Promise<void> {
  if (token.revokedAt) return;
  await token.update({ revokedAt: deps.clock.now() });
}

export type TokenCheck =
  { ok: true; token: PersonalToken } | { ok: false; reason: "invalid" | "expired" | "revoked" };

/**
 * The stored token a bearer value names, if it may be used now. Its last use is recorded at most
 * once a minute (a conditional update: parallel requests write it once at most).
 */
export async function checkPersonalToken(deps: TokenDeps, value: string): Promise<TokenCheck> {
  if (!personalTokenPattern.test(value)) return { ok: false, reason: "invalid" };
  const { PersonalToken } = deps.models;
  const token = await PersonalToken.findOne({
    where: acrossBusinesses("the token names its business", { tokenHash: hashToken(value) }),
  });
  if (!token) return { ok: false, reason: "invalid" };
  if (token.revokedAt) return { ok: false, reason: "revoked" };
  const now = deps.clock.now();
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime())
    return { ok: false, reason: "expired" };
  const stale = new Date(now.getTime() - lastUsedIntervalMs);
  if (!token.lastUsedAt || token.lastUsedAt.getTime() < stale.getTime()) {
    await PersonalToken.update(
      { lastUsedAt: now },
      {
        where: acrossBusinesses("the token's own row, found by its hash", {
          id: token.id,
          [Op.or]: [{ lastUsedAt: null }, { lastUsedAt: { [Op.lt]: stale } }],
        }),
        silent: true,
      },
    );
    token.lastUsedAt = now;
  }
  return { ok: true, token };
}

export function scopesOf(token: PersonalToken): string[] {
  return token.scopes.split(" ").filter(Boolean);
}
