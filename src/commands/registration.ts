import { enqueueMail } from "../integrations/mail/enqueue";
import { hashPassword } from "../lib/password";
import type { User } from "../models";
import type { CommandDeps } from "./deps";
import { consumeToken, findUsableToken, issueUserToken } from "./userTokens";

export interface RegistrationInput {
  name: string;
  email: string;
  password: string;
}

function link(deps: CommandDeps, path: string, token: string): string {
  return new URL(`${path}?token=${encodeURIComponent(token)}`, deps.config.APP_URL).toString();
}

export async function sendActivation(deps: CommandDeps, user: User): Promise<void> {
  const token = await issueUserToken(deps.models, user.id, "activation");
  await enqueueMail(deps, {
    to: user.email,
    template: "activation",
    data: { name: user.name, link: link(deps, "/activate", token) },
  });
}

export async function sendPasswordReset(deps: CommandDeps, user: User): Promise<void> {
  const token = await issueUserToken(deps.models, user.id, "password_reset");
  await enqueueMail(deps, {
    to: user.email,
    template: "password-reset",
    data: { name: user.name, link: link(deps, "/reset-password", token) },
  });
}

/**
 * Creates an inactive account and e-mails its activation link. An address that already has an
 * account gets mail instead (activation again, or a reset link), and the page says the same
 * either way, so the form cannot be used to find out who has an account.
 */
export async function registerUser(deps: CommandDeps, input: RegistrationInput): Promise<void> {
  const email = input.email.toLowerCase();
  const existing = await deps.models.User.findOne({ where: { email } });
  if (existing) {
    if (existing.activatedAt) await sendPasswordReset(deps, existing);
    else await sendActivation(deps, existing);
    return;
  }
  const user = await deps.models.User.create({
    name: input.name,
    email,
    passwordHash: await hashPassword(input.password),
    activatedAt: null,
  });
  await sendActivation(deps, user);
}

/** Activates the account behind a link; null when the link is unknown, used or expired. */
export async function activateAccount(deps: CommandDeps, token: string): Promise<User | null> {
  const record = await findUsableToken(deps.models, token, "activation");
  if (!record || !(await consumeToken(deps.models, record))) return null;
  const user = await deps.models.User.findByPk(record.userId);
  if (!user) return null;
  if (!user.activatedAt) await user.update({ activatedAt: new Date() });
  return user;
}

/** Resends the activation link to an address that has an inactive account; silent otherwise. */
export async function resendActivation(deps: CommandDeps, email: string): Promise<void> {
  const user = await deps.models.User.findOne({ where: { email: email.toLowerCase() } });
  if (user && !user.activatedAt) await sendActivation(deps, user);
}
