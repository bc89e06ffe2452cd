import {
  findOwnSession,
  listSessions,
  revokeOtherSessions,
  revokeSession,
} from "../../commands/sessionRevoker";
import { AppError } from "../../errors";
import type { AccountCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { endBrowserSession } from "../../lib/browserSessions";
import { sessionCookieName } from "../../middleware/session";
import { accountTimeZone, presentSession } from "../../presenters/session";
import type { sessionParams } from "./schema";

const handlePattern = /^[0-9a-f]{24}$/;

/** GET /profile/sessions: where the person is signed in, the session in use first. */
export async function showSessions({ req, res, deps, ctx }: AccountCall) {
  const timeZone = accountTimeZone(ctx);
  const sessions = (await listSessions(deps.models, ctx.user.id)).map((s) =>
    presentSession(s, req.sessionID, timeZone),
  );
  sessions.sort((a, b) => Number(b.isCurrent) - Number(a.isCurrent));
  res.render("profile/sessions", {
    title: "Sessions",
    tab: "sessions",
    timeZone,
    sessions,
    hasOthers: sessions.some((s) => !s.isCurrent),
  });
}

/** POST /profile/sessions/revoke-others */
export async function revokeOthers({ req, deps, ctx }: AccountCall) {
  const count = await revokeOtherSessions(deps.models, req, ctx.user.id, req.sessionID);
  const message =
    count === 0
      ? "There were no other sessions to sign out."
      : `Signed out ${count} other session${count === 1 ? "" : "s"}.`;
  return redirect("/profile/sessions", message, { status: 303 });
}

/** POST /profile/sessions/:handle/revoke: signing out the session in use signs this browser out. */
export async function revokeOne({
  req,
  res,
  deps,
  ctx,
  params,
}: AccountCall<{ params: typeof sessionParams }>) {
  const session = handlePattern.test(params.handle)
    ? await findOwnSession(deps.models, ctx.user.id, params.handle)
    : null;
  if (!session) throw AppError.notFound("That session does not exist or has already ended.");
  await revokeSession(deps.models, req, ctx.user.id, session);
  if (session.sid === req.sessionID) {
    await endBrowserSession(req);
    res.clearCookie(sessionCookieName);
    return redirect("/login?signedOut=1", undefined, { status: 303 });
  }
  return redirect("/profile/sessions", "That session was signed out.", { status: 303 });
}
