import type { Request } from "express";
import { Op } from "sequelize";
import { sessionHandle } from "../lib/sessionHandles";
import { describeUserAgent } from "../lib/userAgent";
import type { Models, Session } from "../models";
import { logActivity } from "./activityLogger";

/** A person's live sessions (browser and API), most recently used first. */
export function listSessions(models: Models, userId: number): Promise<Session[]> {
  return models.Session.findAll({
    where: { userId, expiresAt: { [Op.gt]: new Date() } },
    order: [
      ["lastSeenAt", "DESC"],
      ["createdAt", "DESC"],
    ],
  });
}

/** One of the person's own sessions by its public handle; null for anyone else's. */
export async function findOwnSession(
  models: Models,
  userId: number,
  handle: string,
): Promise<Session | null> {
  const sessions = await models.Session.findAll({ where: { userId } });
  return sessions.find((s) => sessionHandle(s.sid) === handle) ?? null;
}

/**
 * Deletes session rows (and the refresh tokens of API sessions). The store finds no row on the
 * session's next request, so that browser or client is signed out from then on.
 */
async function deleteSessions(models: Models, userId: number, sids: string[]): Promise<number> {
  if (sids.length === 0) return 0;
  const sequelize = models.Session.sequelize;
  if (!sequelize) throw new Error("Session model is not initialised");
  return sequelize.transaction(async (transaction) => {
    await models.RefreshToken.destroy({ where: { userId, sessionSid: sids }, transaction });
    return models.Session.destroy({ where: { userId, sid: sids }, transaction });
  });
}

export async function revokeSession(
  models: Models,
  req: Request | null,
  userId: number,
  session: Session,
): Promise<void> {
  if (session.userId !== userId) return;
  await deleteSessions(models, userId, [session.sid]);
  const device = describeUserAgent(session.userAgent, { api: session.kind === "api" }).label;
  await logActivity(models, req, {
    userId,
    action: "session.revoked",
    details: { device, ip: session.ip, kind: session.kind },
  });
}

/** Signs out every session of the person except `keepSid` (the one asking); returns how many. */
export async function revokeOtherSessions(
  models: Models,
  req: Request | null,
  userId: number,
  keepSid: string,
): Promise<number> {
  const others = await models.Session.findAll({
    where: { userId, sid: { [Op.ne]: keepSid } },
    attributes: ["sid"],
  });
  const count = await deleteSessions(
    models,
    userId,
    others.map((s) => s.sid),
  );
  if (count > 0) {
    await logActivity(models, req, {
      userId,
      action: "session.revoked",
      details: { count, scope: "others" },
    });
  }
  return count;
}
