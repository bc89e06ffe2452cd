import { enqueueMail } from "../integrations/mail/enqueue";
import { hashPassword } from "../lib/password";
import type { User } from "../models";
import type { Deps } from "../deps";
import { consumeToken, findUsableToken, issueUserToken } from "./userTokens";

export interface RegistrationInput {
  name: string;
  email: string;
  password: string;
}

function link(deps: Deps, path: string, token: string): string {
  return new URL(`${path}?token=${encodeURIComponent(token)}`, deps.config.APP_URL).toString();
}

/**
 * Mails an activation link. `passwordHash` is the password chosen with this registration: it is
 * set only when the link is used, so whoever proves the mailbox decides the password (someone
 * who registered the address first cannot keep a password on it).
 */
export async function sendActivation(
  deps: Deps,
  user: User,
  passwordHash: string | null,
): Promise<void> {
  const token = await issueUserToken(deps.models, user.id, "activation", passwordHash);
  await enqueueMail(deps, {
    to: user.email,
    template: "activation",
    data: { name: user.name, link: link(deps, "/activate", token) },
  });
}

export async function sendPasswordReset(deps: Deps, user: User): Promise<void> {
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
export async function registerUser(deps: Deps, input: RegistrationInput): Promise<void> {
  const email = input.email.toLowerCase();
  // Hashing first on every path keeps the answer time the same for taken and free addresses.
  const passwordHash = await hashPassword(input.password);
  const existing = await deps.models.User.findOne({ where: { email } });
  if (existing) {
    if (existing.activatedAt) await sendPasswordReset(deps, existing);
    else await sendActivation(deps, existing, passwordHash);
    return;
  }
  // No usable password until the mailbox is proven: it waits in the activation token.
  const user = await deps.models.User.create({
    name: input.name,
    email,
    passwordHash: null,
    activatedAt: null,
  });
  await sendActivation(deps, user, passwordHash);
}

export type ActivationResult =
  | { status: "invalid" }
  | { status: "activated"; user: User }
  /** Activated by a resent link that carries no password: the person must choose one now. */
  | { status: "choose_password"; user: User; resetToken: string };

/** Checks an activation link without using it (to show the confirmation page). */
export async function activationLinkIsValid(deps: Deps, token: string): Promise<boolean> {
  return (await findUsableToken(deps.models, token, "activation")) !== null;
}

/** Activates the account behind a link and sets the password chosen at registration. */
export async function activateAccount(deps: Deps, token: string): Promise<ActivationResult> {
  const record = await findUsableToken(deps.models, token, "activation");
  if (!record || !(await consumeToken(deps.models, record))) return { status: "invalid" };
  const user = await deps.models.User.findByPk(record.userId);
  if (!user) return { status: "invalid" };
  await user.update({
    activatedAt: user.activatedAt ?? new Date(),
    passwordHash: record.data ?? null,
  });
  if (record.data) return { status: "activated", user };
  return {
    status: "choose_password",
    user,
    resetToken: await issueUserToken(deps.models, user.id, "password_reset"),
  };
}

/**
 * Resends the activation link to an address that has an inactive account; silent otherwise. The
 * new link carries no password: the person chooses one when they open it.
 */
export async function resendActivation(deps: Deps, email: string): Promise<void> {
  const user = await deps.models.User.findOne({ where: { email: email.toLowerCase() } });
  if (user && !user.activatedAt) await sendActivation(deps, user, null);
}
