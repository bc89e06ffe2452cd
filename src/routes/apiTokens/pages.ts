import { logActivity } from "../../commands/activityLogger";
import {
  createPersonalToken,
  expiryChoices,
  findPersonalToken,
  personalTokensOf,
  revokePersonalToken,
  scopesOf,
} from "../../commands/personalTokens";
import type { Deps } from "../../deps";
import type { LoadCall, PageCall, PageFormCall, FormFailure } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { scopeResources } from "../../http/tokenScopes";
import type { PersonalToken } from "../../models/PersonalToken";
import { presentTime } from "../../presenters/session";
import type { TenantContext } from "../../tenancy/context";
import { registeredEndpoints } from "../../http/registry";
import type { createTokenSchema, personalTokenParams } from "./schema";

/** The API's resources, read off the endpoint tables when first asked. */
export function tokenResources(): string[] {
  return scopeResources(registeredEndpoints());
}

export function tokenScopeNames(): string[] {
  return tokenResources().flatMap((r) => [`${r}:read`, `${r}:write`]);
}

type OneToken = { params: typeof personalTokenParams; record: PersonalToken };

/** The member's own token the path names (404 for anyone else's). */
export function loadToken({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { tokenId: number }>): Promise<PersonalToken> {
  return findPersonalToken(deps, ctx, params.tokenId);
}

function presentToken(token: PersonalToken, now: Date, timeZone: string) {
  const expired = token.expiresAt !== null && token.expiresAt.getTime() <= now.getTime();
  return {
    id: token.id,
    name: token.name,
    hint: token.tokenHint,
    scopes: scopesOf(token),
    createdAt: presentTime(token.createdAt, timeZone),
    lastUsedAt: token.lastUsedAt ? presentTime(token.lastUsedAt, timeZone) : null,
    expiresAt: token.expiresAt ? presentTime(token.expiresAt, timeZone) : null,
    status: token.revokedAt ? "revoked" : expired ? "expired" : "active",
    active: !token.revokedAt && !expired,
  };
}

interface FormState {
  values?: Record<string, unknown>;
  errors?: Record<string, string>;
  created?: { token: string; name: string };
}

async function tokensView(deps: Deps, ctx: TenantContext, state: FormState = {}) {
  const now = deps.clock.now();
  const timeZone = ctx.business.timeZone;
  const tokens = (await personalTokensOf(deps, ctx)).map((t) => presentToken(t, now, timeZone));
  const chosen = state.values?.scopes;
  const picked = new Set(
    Array.isArray(chosen) ? chosen.map(String) : chosen ? [String(chosen)] : [],
  );
  const days = Number(state.values?.expiresInDays ?? 90);
  return {
    title: "API tokens",
    timeZone,
    businessName: ctx.business.name,
    role: ctx.membership.role,
    tokens,
    resources: tokenResources().map((resource) => ({
      resource,
      read: { value: `${resource}:read`, checked: picked.has(`${resource}:read`) },
      write: { value: `${resource}:write`, checked: picked.has(`${resource}:write`) },
    })),
    expiries: expiryChoices.map((d) => ({ days: d, selected: d === days })),
    values: state.values ?? {},
    errors: state.errors ?? {},
    created: state.created,
  };
}

/** GET /profile/api-tokens */
export async function showTokens({ res, deps, ctx }: PageCall) {
  res.render("apiTokens/index", await tokensView(deps, ctx));
}

/** POST /profile/api-tokens: the token is shown on this answer only, never stored or flashed. */
export async function createToken({
  req,
  res,
  deps,
  ctx,
  body,
}: PageCall<{ body: ReturnType<typeof createTokenSchema> }>) {
  const { token, record } = await createPersonalToken(deps, ctx, body);
  await logActivity(deps.models, req, {
    userId: ctx.user.id,
    businessId: ctx.business.id,
    action: "personal_token.created",
    details: { tokenId: record.id, name: record.name, scopes: scopesOf(record) },
  });
  res.setHeader("Cache-Control", "no-store");
  res
    .status(201)
    .render(
      "apiTokens/index",
      await tokensView(deps, ctx, { created: { token, name: record.name } }),
    );
}

/** The form again with every field's error and what was typed. */
export async function renderCreateFailure({ res, deps, ctx }: PageFormCall, failure: FormFailure) {
  res
    .status(failure.status)
    .render(
      "apiTokens/index",
      await tokensView(deps, ctx, { values: failure.values, errors: failure.errors }),
    );
}

/** GET /profile/api-tokens/:tokenId/revoke: revoking asks first. */
export function confirmRevoke({ res, deps, ctx, record }: PageCall<OneToken>) {
  res.render("apiTokens/revoke", {
    title: "Revoke token",
    token: presentToken(record, deps.clock.now(), ctx.business.timeZone),
  });
}

/** POST /profile/api-tokens/:tokenId/revoke */
export async function revokeToken({ req, deps, ctx, record }: PageCall<OneToken>) {
  await revokePersonalToken(deps, record);
  await logActivity(deps.models, req, {
    userId: ctx.user.id,
    businessId: ctx.business.id,
    action: "personal_token.revoked",
    details: { tokenId: record.id, name: record.name },
  });
  return redirect(
    "/profile/api-tokens",
    `Revoked “${record.name}”. Requests with it are refused from now on.`,
    { status: 303 },
  );
}
