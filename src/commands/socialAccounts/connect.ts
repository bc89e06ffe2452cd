import { timingSafeEqual } from "node:crypto";
import { Op } from "sequelize";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { networkName } from "../../integrations/social/http";
import type { SocialAccount, SocialNetwork } from "../../models";
import { assertWithinLimit } from "../../plans/planGate";
import type { TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { countActive } from "./accounts";
import { authorizeUrl, newSecrets, oauthApp, type OAuthApp } from "./apps";
import { accountsFor } from "./identities";
import { exchangeCode } from "./tokenRequests";
import { sealedTokens } from "./tokens";

/**
 * The authorization-code flow: the start binds a random state (and X's PKCE verifier) to this
 * browser session, this business and this member; the callback accepts only that state, once,
 * within ten minutes, in the same business.
 */
export interface PendingConnect {
  network: SocialNetwork;
  state: string;
  verifier: string;
  businessId: number;
  userId: number;
  /** Epoch ms. */
  startedAt: number;
}

const pendingLifetimeMs = 10 * 60_000;

export function appOrExplain(deps: Pick<Deps, "config">, network: SocialNetwork): OAuthApp {
  const app = oauthApp(deps.config, network);
  if (app) return app;
  const prefix = network === "instagram" ? "FACEBOOK" : network.toUpperCase();
  throw new AppError(
    "conflict",
    `${networkName(network)} is not set up on this server: its administrator needs to set ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET.`,
  );
}

/** Where to send the person, and what the session keeps until they come back. */
export async function startConnect(
  deps: Deps,
  ctx: TenantContext,
  network: SocialNetwork,
  reconnecting: boolean,
): Promise<{ url: string; pending: PendingConnect }> {
  const app = appOrExplain(deps, network);
  // Refuse before the trip to the network when the plan is already full (a reconnect adds none).
  if (!reconnecting && ctx.plan)
    assertWithinLimit(ctx.plan, "socialAccounts", await countActive(deps, ctx));
  const { state, verifier } = newSecrets();
  return {
    url: authorizeUrl(deps.config, app, state, verifier),
    pending: {
      network,
      state,
      verifier,
      businessId: ctx.business.id,
      userId: ctx.user.id,
      startedAt: deps.clock.now().getTime(),
    },
  };
}

export interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
  error_description?: string;
}

function sameState(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Checks the callback against what the start kept; throws with what to do when it does not match. */
export function assertPendingMatches(
  deps: Pick<Deps, "clock">,
  ctx: TenantContext,
  network: SocialNetwork,
  pending: PendingConnect | undefined,
  query: CallbackQuery,
): PendingConnect {
  const name = networkName(network);
  const again = `Start again from Social accounts.`;
  if (query.error)
    throw new AppError(
      "bad_request",
      `${name} did not connect: ${query.error_description ?? query.error}. ${again}`,
    );
  if (
    !pending ||
    !query.state ||
    pending.network !== network ||
    !sameState(pending.state, query.state)
  )
    throw new AppError(
      "bad_request",
      `This ${name} sign-in was not started here (state mismatch). ${again}`,
    );
  if (pending.businessId !== ctx.business.id || pending.userId !== ctx.user.id)
    throw new AppError(
      "bad_request",
      `This ${name} sign-in was started for another business. ${again}`,
    );
  if (deps.clock.now().getTime() - pending.startedAt > pendingLifetimeMs)
    throw new AppError("bad_request", `This ${name} sign-in took longer than 10 minutes. ${again}`);
  if (!query.code)
    throw new AppError("bad_request", `${name} sent no authorization code. ${again}`);
  return pending;
}

/**
 * The code exchanged for tokens, the accounts found, and each saved (sealed) — an account already
 * known (same network and external id) is updated and reconnected; new ones count against the
 * plan's limit, all or nothing.
 */
export async function finishConnect(
  deps: Deps,
  ctx: TenantContext,
  pending: PendingConnect,
  code: string,
): Promise<SocialAccount[]> {
  const app = appOrExplain(deps, pending.network);
  const tokens = await exchangeCode(deps.config, app, code, pending.verifier);
  const found = await accountsFor(deps.config, app, tokens);
  const now = deps.clock.now();
  const model = deps.models.SocialAccount;
  return deps.sequelize.transaction(async (transaction) => {
    const existing = await model.findAll({
      where: tenantWhere(ctx, model, {
        network: pending.network,
        externalId: { [Op.in]: found.map((f) => f.externalId) },
      }),
      transaction,
    });
    const byId = new Map(existing.map((row) => [row.externalId, row]));
    const adding = found.filter(
      (f) => (byId.get(f.externalId)?.status ?? "disconnected") === "disconnected",
    );
    if (adding.length > 0 && ctx.plan)
      assertWithinLimit(
        ctx.plan,
        "socialAccounts",
        await countActive(deps, ctx, transaction),
        adding.length,
      );
    const saved: SocialAccount[] = [];
    for (const account of found) {
      const fields = {
        displayName: account.displayName.slice(0, 200),
        ...sealedTokens(deps, account.tokens, now),
        scopes: account.tokens.scopes.slice(0, 1000),
        status: "connected" as const,
        lastError: null,
        connectedByUserId: ctx.user.id,
        updatedAt: now,
      };
      const row = byId.get(account.externalId);
      if (row) {
        saved.push(await row.update(fields, { transaction }));
      } else {
        saved.push(
          await model.create(
            {
              businessId: ctx.business.id,
              network: pending.network,
              externalId: account.externalId,
              createdAt: now,
              ...fields,
            },
            { transaction },
          ),
        );
      }
    }
    return saved;
  });
}
