import { createHash } from "node:crypto";
import { AppError } from "../errors";
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

const hour = 60 * 60;

/** Addresses never reach Redis keys as such. */
function addressKey(email: string): string {
  return createHash("sha256").update(email.trim().toLowerCase()).digest("base64url");
}

/**
 * The budget of account e-mails (reset and activation links) a visitor may ask for: per IP
 * address and per e-mail address, each an hour's worth (rate-limiter-flexible, in Redis when
 * configured). Counted for every address asked about, known or not, so the limits say nothing
 * about who has an account. False when either is spent.
 */
export async function accountMailAllowed(
  deps: Pick<Deps, "rateLimits" | "config" | "logger">,
  ip: string,
  email: string,
): Promise<boolean> {
  const { ACCOUNT_MAIL_PER_IP_PER_HOUR: perIp, ACCOUNT_MAIL_PER_ADDRESS_PER_HOUR: perAddress } =
    deps.config;
  try {
    const byIp = await deps.rateLimits.consume(
      "account-mail-ip",
      { points: perIp, durationSeconds: hour },
      ip,
    );
    if (!byIp.allowed) return false;
    const byAddress = await deps.rateLimits.consume(
      "account-mail-address",
      { points: perAddress, durationSeconds: hour },
      addressKey(email),
    );
    return byAddress.allowed;
  } catch (error) {
    deps.logger.error({ err: error }, "rate limit store unavailable");
    throw new AppError("service_unavailable");
  }
}

/**
 * Resends the activation link: like a reset request, the same work for every address (the mail
 * limits and one job), and the job mails only an account still waiting for activation.
 */
export async function resendActivation(
  deps: Pick<Deps, "jobs" | "rateLimits" | "config" | "logger">,
  ip: string,
  email: string,
): Promise<void> {
  if (!(await accountMailAllowed(deps, ip, email))) return;
  await deps.jobs.dispatch("send-activation-again", { email: email.toLowerCase() });
}

/**
 * The job behind a resend: a new link when the address has an inactive account; silent
 * otherwise. The new link carries no password: the person chooses one when they open it.
 */
export async function sendActivationAgainTo(deps: Deps, email: string): Promise<void> {
  const user = await deps.models.User.findOne({ where: { email: email.toLowerCase() } });
  if (user && !user.activatedAt) await sendActivation(deps, user, null);
}
