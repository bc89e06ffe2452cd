import type { Request } from "express";
import { Op, UniqueConstraintError } from "sequelize";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import { enqueueMail } from "../integrations/mail/enqueue";
import { hashToken, newToken } from "../lib/tokens";
import type { Models, User } from "../models";
import { logActivity } from "./activityLogger";

export type EmailChangeDeps = Pick<Deps, "config" | "models" | "jobs" | "clock">;

/** How long a confirmation link works. */
export const emailChangeTtlMs = 24 * 60 * 60 * 1000;

const messages = {
  same: "That is already your e-mail address.",
};

function confirmLink(appUrl: string, token: string): string {
  const url = new URL("/profile/email/confirm", appUrl);
  url.searchParams.set("token", token);
  return url.toString();
}

/**
 * Starts an e-mail change: a single-use link (stored hashed, valid 24 h) goes to the NEW address;
 * nothing changes until it is opened. A newer request replaces any earlier pending one.
 */
export async function requestEmailChange(
  deps: EmailChangeDeps,
  req: Request | null,
  user: User,
  newEmail: string,
): Promise<void> {
  const { models } = deps;
  const email = newEmail.trim().toLowerCase();
  if (email === user.email) throw AppError.validation({ email: messages.same });
  // A taken address gets the same answer as a free one, and no link: the form must not tell
  // anyone which addresses have accounts. Confirmation re-checks, should it be taken later.
  if (await models.User.count({ where: { email } })) return;
  const { token, hash } = newToken();
  const now = new Date();
  const sequelize = models.UserToken.sequelize;
  if (!sequelize) throw new Error("UserToken model is not initialised");
  await sequelize.transaction(async (transaction) => {
    await models.UserToken.update(
      { usedAt: now },
      { where: { userId: user.id, purpose: "email_change", usedAt: null }, transaction },
    );
    await models.UserToken.create(
      {
        userId: user.id,
        purpose: "email_change",
        tokenHash: hash,
        data: email,
        expiresAt: new Date(now.getTime() + emailChangeTtlMs),
        usedAt: null,
      },
      { transaction },
    );
  });
  await enqueueMail(deps, {
    to: email,
    template: "email-change",
    data: { name: user.name, link: confirmLink(deps.config.APP_URL, token), newEmail: email },
  });
  await logActivity(models, req, {
    userId: user.id,
    action: "email.change_requested",
    details: { newEmail: email },
  });
}

/** The address waiting for confirmation, if any. */
export async function pendingEmailChange(models: Models, userId: number): Promise<string | null> {
  const token = await models.UserToken.findOne({
    where: {
      userId,
      purpose: "email_change",
      usedAt: null,
      expiresAt: { [Op.gt]: new Date() },
    },
    order: [["createdAt", "DESC"]],
  });
  return token?.data ?? null;
}

export type EmailConfirmation =
  | { ok: true; from: string; to: string }
  | { ok: false; reason: "invalid" | "used" | "expired" | "taken" };

/** Applies the change a link stands for, once: the token is claimed atomically with the update. */
export async function confirmEmailChange(
  deps: Pick<EmailChangeDeps, "models">,
  req: Request | null,
  userId: number,
  token: string,
): Promise<EmailConfirmation> {
  const { models } = deps;
  const row = await models.UserToken.findOne({
    where: { tokenHash: hashToken(token), purpose: "email_change" },
  });
  if (!row || row.userId !== userId || !row.data) return { ok: false, reason: "invalid" };
  if (row.usedAt) return { ok: false, reason: "used" };
  if (row.expiresAt.getTime() <= Date.now()) return { ok: false, reason: "expired" };
  const user = await models.User.findByPk(userId);
  if (!user) return { ok: false, reason: "invalid" };
  const from = user.email;
  const to = row.data;

  const sequelize = models.UserToken.sequelize;
  if (!sequelize) throw new Error("UserToken model is not initialised");
  try {
    const claimed = await sequelize.transaction(async (transaction) => {
      const [count] = await models.UserToken.update(
        { usedAt: new Date() },
        { where: { id: row.id, usedAt: null }, transaction },
      );
      if (count !== 1) return false;
      if (await models.User.count({ where: { email: to }, transaction })) {
        throw new UniqueConstraintError({ message: "e-mail taken" });
      }
      await user.update({ email: to }, { transaction });
      return true;
    });
    if (!claimed) return { ok: false, reason: "used" };
  } catch (error) {
    if (error instanceof UniqueConstraintError) return { ok: false, reason: "taken" };
    throw error;
  }
  await logActivity(models, req, { userId, action: "email.changed", details: { from, to } });
  return { ok: true, from, to };
}
