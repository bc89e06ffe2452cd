import type { Deps } from "../deps";
import type { LoginRefusal } from "../lib/loginLimiter";
import { verifyPassword } from "../lib/password";
import type { Models, User } from "../models";

export type AuthenticationResult =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid_credentials" }
  /** The right password for an account whose address is not proven yet: it may be told so. */
  | { ok: false; reason: "not_activated"; email: string };

export type SignInResult =
  AuthenticationResult | { ok: false; reason: "limited"; limit: LoginRefusal };

/**
 * The password an account not yet activated was registered with: it waits in the newest
 * activation link that carries one (set only when the link is used), so a sign-in before
 * activating can still be checked against it.
 */
async function pendingPasswordHash(models: Models, user: User): Promise<string | null> {
  const token = await models.UserToken.findOne({
    where: { userId: user.id, purpose: "activation" },
    order: [["id", "DESC"]],
    attributes: ["data"],
  });
  return token?.data ?? null;
}

/**
 * Checks an e-mail and password. Unknown e-mail and wrong password give the same answer, and an
 * unknown e-mail still pays for a hash so timing does not tell them apart. Only a correct password
 * learns that the account is waiting for activation: it proves the account is the caller's.
 */
export async function authenticate(
  models: Models,
  email: string,
  password: string,
): Promise<AuthenticationResult> {
  const user = await models.User.findOne({ where: { email: email.toLowerCase() } });
  const pending = user && !user.activatedAt && !user.passwordHash;
  const hash =
    (pending ? await pendingPasswordHash(models, user) : user?.passwordHash) ?? dummyHash;
  const valid = await verifyPassword(password, hash);
  if (!user || !valid) return { ok: false, reason: "invalid_credentials" };
  if (!user.activatedAt) return { ok: false, reason: "not_activated", email: user.email };
  return { ok: true, user };
}

/**
 * A sign-in by password (the page and the API alike), under the limits of `loginLimiter`: a wrong
 * password counts against this account from this address and against the address; a correct one
 * (even for an account not yet activated) counts against nothing.
 */
export async function signIn(
  deps: Pick<Deps, "models" | "loginLimiter">,
  ip: string,
  email: string,
  password: string,
): Promise<SignInResult> {
  const guarded = await deps.loginLimiter.guard(
    ip,
    email,
    () => authenticate(deps.models, email, password),
    (result) => !result.ok && result.reason === "invalid_credentials",
  );
  if (guarded.refused) return { ok: false, reason: "limited", limit: guarded.refused };
  return guarded.result;
}

// A hash of a random password: verifying against it costs what a real check costs.
const dummyHash =
  "scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA$2Tmz3hS4pN1pD3Pj7N4vX0m9dJ7rS2mA1cE5kQ8wY6uB3fH0gL9iZ4tV7xR1oK2eW5qJ8nM6yU3sA0dF9hG4lC";
