import { Op } from "sequelize";
import { enqueueMail } from "../integrations/mail/enqueue";
import { hashPassword, verifyPassword } from "../lib/password";
import type { User } from "../models";
import type { Deps } from "../deps";
import { accountMailAllowed, sendPasswordReset } from "./registration";
import { consumeToken, findUsableToken } from "./userTokens";

/** Ends every session of a user except `keepSid` (browser and API alike). */
export async function endOtherSessions(
  deps: Deps,
  userId: number,
  keepSid?: string,
): Promise<number> {
  const where = keepSid ? { userId, sid: { [Op.ne]: keepSid } } : { userId };
  const sessions = await deps.models.Session.findAll({ where, attributes: ["sid"] });
  const sids = sessions.map((s) => s.sid);
  if (sids.length === 0) return 0;
  await deps.models.RefreshToken.update(
    { revokedAt: new Date() },
    { where: { sessionSid: sids, revokedAt: null } },
  );
  return deps.models.Session.destroy({ where: { sid: sids } });
}

async function setPassword(deps: Deps, user: User, password: string): Promise<void> {
  const now = new Date();
  await user.update({ passwordHash: await hashPassword(password), passwordChangedAt: now });
  await enqueueMail(deps, {
    to: user.email,
    template: "password-changed",
    data: { name: user.name, time: now.toUTCString() },
  });
}

/**
 * Asks for a reset link. The request does the same work for every address — the two mail limits,
 * then one job — and the job looks the address up, so neither the answer nor its time tells
 * whether the address has an account. Over a limit nothing is queued; the caller answers the same.
 */
export async function requestPasswordReset(
  deps: Pick<Deps, "jobs" | "rateLimits" | "config" | "logger">,
  ip: string,
  email: string,
): Promise<void> {
  if (!(await accountMailAllowed(deps, ip, email))) return;
  await deps.jobs.dispatch("send-password-reset", { email: email.toLowerCase() });
}

/** The job behind a reset request: a link when the address has an account, nothing otherwise. */
export async function sendPasswordResetTo(deps: Deps, email: string): Promise<void> {
  const user = await deps.models.User.findOne({ where: { email: email.toLowerCase() } });
  if (user) await sendPasswordReset(deps, user);
}

/** Checks a reset link without using it up (to show the form). */
export async function resetLinkIsValid(deps: Deps, token: string): Promise<boolean> {
  return (await findUsableToken(deps.models, token, "password_reset")) !== null;
}

/**
 * Sets a new password from a reset link and signs every session out: whoever had the old
 * password may still be signed in somewhere. Resetting also proves the address, so it activates.
 */
export async function resetPassword(
  deps: Deps,
  token: string,
  password: string,
): Promise<User | null> {
  const record = await findUsableToken(deps.models, token, "password_reset");
  if (!record || !(await consumeToken(deps.models, record))) return null;
  const user = await deps.models.User.findByPk(record.userId);
  if (!user) return null;
  await setPassword(deps, user, password);
  if (!user.activatedAt) await user.update({ activatedAt: new Date() });
  await endOtherSessions(deps, user.id);
  return user;
}

export type ChangePasswordResult =
  { ok: true } | { ok: false; field: "currentPassword"; message: string };

/** Changes the password of a signed-in person; their other sessions end, this one stays. */
export async function changePassword(
  deps: Deps,
  userId: number,
  currentPassword: string,
  newPassword: string,
  currentSid: string,
): Promise<ChangePasswordResult> {
  const user = await deps.models.User.findByPk(userId);
  if (!user || !(await verifyPassword(currentPassword, user.passwordHash))) {
    return { ok: false, field: "currentPassword", message: "That is not your current password." };
  }
  await setPassword(deps, user, newPassword);
  await endOtherSessions(deps, user.id, currentSid);
  return { ok: true };
}
