import { clientOf, logActivity } from "../../commands/activityLogger";
import {
  endApiSession,
  endApiSessionByRefreshToken,
  rotateRefreshToken,
  startApiSession,
  type IssuedTokens,
} from "../../commands/apiTokens";
import { signIn } from "../../commands/authenticator";
import type { ApiCall, CallInput } from "../../http/endpoint";
import { runMiddleware } from "../../http/middleware";
import { reply } from "../../http/outcomes";
import { requireApiUser } from "../../middleware/bearerAuth";
import { presentUser } from "../../presenters/user";
import type { RequestContext } from "../../tenancy/context";
import { type apiLoginSchema, type logoutSchema, type refreshTokenSchema } from "./apiSchema";
import { signInError } from "./signInError";

type Caller = RequestContext | undefined;

function presentTokens(tokens: IssuedTokens) {
  return {
    accessToken: tokens.accessToken,
    tokenType: tokens.tokenType,
    expiresIn: tokens.expiresIn,
    refreshToken: tokens.refreshToken,
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt.toISOString(),
  };
}

/** POST /api/v1/auth/login: the same limits and answers as the sign-in page (no back door for guessing). */
export async function apiLogin({
  req,
  res,
  deps,
  body,
}: ApiCall<{ body: typeof apiLoginSchema }, Caller>) {
  const result = await signIn(deps, req.ip ?? "unknown", body.email, body.password);
  if (!result.ok) throw signInError(res, result);
  const tokens = await startApiSession(deps, result.user, clientOf(req));
  await logActivity(deps.models, req, {
    userId: result.user.id,
    action: "auth.sign_in",
    details: { method: "api" },
  });
  return reply({ ...presentTokens(tokens), user: presentUser(result.user) }, "Signed in.");
}

/** POST /api/v1/auth/refresh-token */
export async function refreshTokens({
  deps,
  body,
}: ApiCall<{ body: typeof refreshTokenSchema }, Caller>) {
  const tokens = await rotateRefreshToken(deps, body.refreshToken);
  return reply(presentTokens(tokens), "Tokens renewed.");
}

/** POST /api/v1/auth/logout: by access token, or by refresh token once the access token expired. */
export async function apiLogout({
  req,
  res,
  deps,
  body,
}: ApiCall<{ body: typeof logoutSchema }, Caller>) {
  const { refreshToken } = body;
  if (req.apiSession) await endApiSession(deps, req.apiSession.sid);
  else if (!refreshToken || !(await endApiSessionByRefreshToken(deps, refreshToken))) {
    // Neither proves a session: answer as any route behind sign-in would.
    await runMiddleware(req, res, requireApiUser);
  }
  return reply(null, "Signed out.");
}

/** GET /api/v1/auth/me */
export function me({ req, ctx }: ApiCall<CallInput, RequestContext>) {
  const business = ctx.business
    ? { id: ctx.business.id, name: ctx.business.name, role: ctx.membership?.role ?? null }
    : null;
  return reply({ user: req.currentUser, business, businesses: ctx.businesses }, "Signed in.");
}
