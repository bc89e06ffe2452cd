import { Router } from "express";
import type { Deps } from "../../deps";
import {
  findOwnSession,
  listSessions,
  revokeOtherSessions,
  revokeSession,
} from "../../commands/sessionRevoker";
import { AppError } from "../../errors";
import { endBrowserSession } from "../../lib/browserSessions";
import { sessionCookieName } from "../../middleware/session";
import { flash } from "../../middleware/flash";
import { presentSession } from "../../presenters/session";
import { currentUserRecord } from "./view";

const handlePattern = /^[0-9a-f]{24}$/;

/** Profile → Sessions: where the person is signed in, and signing any of it out. */
export function sessionsPages(deps: Deps): Router {
  const router = Router();
  const { models } = deps;

  router.get("/profile/sessions", async (req, res) => {
    const user = await currentUserRecord(deps, req);
    const sessions = (await listSessions(models, user.id)).map((s) =>
      presentSession(s, req.sessionID),
    );
    // The session in use is always first: it is the one people look for.
    sessions.sort((a, b) => Number(b.isCurrent) - Number(a.isCurrent));
    res.render("profile/sessions", {
      title: "Sessions",
      tab: "sessions",
      sessions,
      hasOthers: sessions.some((s) => !s.isCurrent),
    });
  });

  router.post("/profile/sessions/revoke-others", async (req, res) => {
    const user = await currentUserRecord(deps, req);
    const count = await revokeOtherSessions(models, req, user.id, req.sessionID);
    flash(
      req,
      "success",
      count === 0
        ? "There were no other sessions to sign out."
        : `Signed out ${count} other session${count === 1 ? "" : "s"}.`,
    );
    res.redirect(303, "/profile/sessions");
  });

  router.post("/profile/sessions/:handle/revoke", async (req, res) => {
    const user = await currentUserRecord(deps, req);
    const handle = String(req.params.handle);
    const session = handlePattern.test(handle)
      ? await findOwnSession(models, user.id, handle)
      : null;
    if (!session) throw AppError.notFound("That session does not exist or has already ended.");
    await revokeSession(models, req, user.id, session);
    if (session.sid === req.sessionID) {
      await endBrowserSession(req);
      res.clearCookie(sessionCookieName);
      res.redirect(303, "/login?signedOut=1");
      return;
    }
    flash(req, "success", "That session was signed out.");
    res.redirect(303, "/profile/sessions");
  });

  return router;
}
