import type { CreationAttributes } from "sequelize";
import { sealSecret } from "../src/lib/secretBox";
import type { Business, Models, SocialAccount, SocialNetwork } from "../src/models";
import type { SocialStandIn } from "./standins/social/server";

let counter = 0;

/** The external id a network uses for an account (LinkedIn posts as a URN). */
function externalIdFor(network: SocialNetwork, n: number): string {
  if (network === "linkedin") return `urn:li:person:member${n}`;
  return `${network === "x" ? "17" : network === "facebook" ? "1000" : "1784"}${n}`;
}

/**
 * A connected social account of `business` whose token the stand-in accepts (when one is given):
 * the token is issued by `standIn` for the account's external id and sealed with `secretsKey`,
 * as the OAuth callback stores it. Expires 60 days after `now` unless told otherwise.
 */
export async function buildSocialAccount(
  models: Models,
  business: Business,
  secretsKey: Buffer,
  network: SocialNetwork,
  options: {
    standIn?: SocialStandIn;
    now?: Date;
    overrides?: Partial<CreationAttributes<SocialAccount>>;
  } = {},
): Promise<SocialAccount> {
  counter += 1;
  const now = options.now ?? new Date("2026-12-01T00:00:00Z");
  const externalId = options.overrides?.externalId ?? externalIdFor(network, counter);
  const token = options.standIn
    ? options.standIn.issueToken(network, externalId, `Test ${network} ${counter}`)
    : `token-${network}-${counter}`;
  return models.SocialAccount.create({
    businessId: business.id,
    network,
    externalId,
    displayName: `Test ${network} account ${counter}`,
    accessTokenSealed: sealSecret(secretsKey, token),
    refreshTokenSealed: network === "x" ? sealSecret(secretsKey, `refresh-${counter}`) : null,
    tokenExpiresAt: new Date(now.getTime() + 60 * 86_400_000),
    scopes: "",
    status: "connected",
    lastError: null,
    connectedByUserId: business.ownerId,
    createdAt: now,
    updatedAt: now,
    ...options.overrides,
  });
}
