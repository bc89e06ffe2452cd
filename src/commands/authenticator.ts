import { verifyPassword } from "../lib/password";
import type { Models, User } from "../models";

export type AuthenticationResult =
  { ok: true; user: User } | { ok: false; reason: "invalid_credentials" | "not_activated" };

/**
 * Checks an e-mail and password. Unknown e-mail and wrong password give the same answer, and an
 * unknown e-mail still pays for a hash so timing does not tell them apart.
 */
export async function authenticate(
  models: Models,
  email: string,
  password: string,
): Promise<AuthenticationResult> {
  const user = await models.User.findOne({ where: { email: email.toLowerCase() } });
  const valid = await verifyPassword(password, user?.passwordHash ?? dummyHash);
  if (!user || !valid) return { ok: false, reason: "invalid_credentials" };
  if (!user.activatedAt) return { ok: false, reason: "not_activated" };
  return { ok: true, user };
}

// A hash of a random password: verifying against it costs what a real check costs.
const dummyHash =
  "scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA$2Tmz3hS4pN1pD3Pj7N4vX0m9dJ7rS2mA1cE5kQ8wY6uB3fH0gL9iZ4tV7xR1oK2eW5qJ8nM6yU3sA0dF9hG4lC";
