import {
  accountLocks,
  countActive,
  disconnectAccount,
  findAccount,
  listAccounts,
} from "../../commands/socialAccounts/accounts";
import {
  assertPendingMatches,
  finishConnect,
  startConnect,
} from "../../commands/socialAccounts/connect";
import { preflight } from "../../commands/socialAccounts/publish";
import { AppError } from "../../errors";
import type { LoadCall, PageCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { SocialError } from "../../integrations/social";
import { networkName } from "../../integrations/social/http";
import { csrfToken } from "../../middleware/csrf";
import type { SocialAccount } from "../../models";
import { limitOf } from "../../plans/planGate";
import type { TenantContext } from "../../tenancy/context";
import { lockView, presentAccount, presentNetworks } from "./present";
import type { callbackQuery, connectSchema, networkParams } from "./schema";

const base = "/social/accounts";

export function loadAccount({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { accountId: number }>): Promise<SocialAccount> {
  return findAccount(deps, ctx, params.accountId);
}

/** GET /social/accounts */
export async function showAccounts({ req, res, deps, ctx }: PageCall) {
  const now = deps.clock.now();
  const accounts = await listAccounts(deps, ctx);
  const used = await countActive(deps, ctx);
  const locks = await accountLocks(deps, ctx);
  const limit = ctx.plan ? limitOf(ctx.plan, "socialAccounts") : 0;
  res.render("social/accounts", {
    title: "Social accounts",
    csrfToken: csrfToken(req),
    accounts: accounts.map((a) => ({
      ...presentAccount(a, now, ctx.business.timeZone),
      readOnly: lockView(locks.get(a.id)),
    })),
    networks: presentNetworks(deps.config),
    used,
    limit: limit < 0 ? null : limit,
    full: limit >= 0 && used >= limit,
  });
}

/** GET /social/accounts/:network/connect — off to the network's consent page. */
export async function connect({
  req,
  deps,
  ctx,
  params,
  query,
}: PageCall<{ params: typeof networkParams; query: typeof connectSchema }>) {
  try {
    const { url, pending } = await startConnect(deps, ctx, params.network, query.reconnect);
    req.session.socialConnect = pending;
    return redirect(url, undefined, { status: 303 });
  } catch (error) {
    // Not set up here, or the plan is full: back to the list, saying so.
    if (error instanceof AppError && (error.id === "plan_limit" || error.id === "conflict"))
      return redirect(base, { type: "warning", message: error.message });
    throw error;
  }
}

/** GET /social/accounts/:network/callback — the network sends the person back here. */
export async function callback({
  req,
  deps,
  ctx,
  params,
  query,
}: PageCall<{ params: typeof networkParams; query: typeof callbackQuery }>) {
  const stored = req.session.socialConnect;
  // Single use: whatever happens next, this state cannot be replayed.
  delete req.session.socialConnect;
  const pending = assertPendingMatches(deps, ctx, params.network, stored, query);
  const name = networkName(params.network);
  try {
    const saved = await finishConnect(deps, ctx, pending, query.code as string);
    const names = saved.map((a) => a.displayName).join(", ");
    return redirect(base, `${name} connected: ${names}.`);
  } catch (error) {
    if (error instanceof SocialError)
      return redirect(base, { type: "danger", message: `${error.message} ${error.fix}`.trim() });
    if (error instanceof AppError && error.id === "plan_limit")
      return redirect(base, { type: "warning", message: error.message });
    throw error;
  }
}

/** POST /social/accounts/:accountId/disconnect */
export async function disconnect({ deps, ctx, record }: PageCall<{ record: SocialAccount }>) {
  await disconnectAccount(deps, ctx, record);
  return redirect(base, `${record.displayName} (${networkName(record.network)}) is disconnected.`);
}

/** POST /social/accounts/:accountId/check — the pre-flight check, on demand. */
export async function check({ deps, ctx, record }: PageCall<{ record: SocialAccount }>) {
  const result = await preflight(deps, ctx, record);
  const type =
    result.state === "ok" ? "success" : result.state === "expiring" ? "warning" : "danger";
  return redirect(base, {
    type,
    message: `${record.displayName}: ${result.message}${result.fix ? ` ${result.fix}` : ""}`,
  });
}
