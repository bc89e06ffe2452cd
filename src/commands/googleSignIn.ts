import { UniqueConstraintError } from "sequelize";
import type { Models, User } from "../models";

/** What Google says about the person (its OpenID userinfo), reduced to what sign-in uses. */
export interface GoogleIdentity {
  /** Google's stable account id (`sub`). */
  googleId: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

export type GoogleSignInResult =
  | { ok: true; user: User; outcome: "signed_in" | "linked" | "created" }
  | { ok: false; reason: "email_missing" | "email_unverified" | "linked_to_other_google" };

function nameFor(identity: GoogleIdentity, email: string): string {
  const name = identity.name?.trim() || email.split("@")[0] || email;
  return name.slice(0, 120);
}

/**
 * Resolves a Google login to an account:
 * 1. an account already linked to this Google id signs in;
 * 2. otherwise a verified e-mail matching an account links to it (and activates it: Google has
 *    proved the address);
 * 3. otherwise a new account, already activated, without a password.
 * An e-mail Google has not verified never links to an account nor creates one, because it proves
 * nothing about who owns the address.
 */
export async function googleSignIn(
  models: Models,
  identity: GoogleIdentity,
  retried = false,
): Promise<GoogleSignInResult> {
  const linked = await models.User.findOne({ where: { googleId: identity.googleId } });
  if (linked) return { ok: true, user: linked, outcome: "signed_in" };
  if (!identity.email) return { ok: false, reason: "email_missing" };
  if (!identity.emailVerified) return { ok: false, reason: "email_unverified" };

  const email = identity.email.trim().toLowerCase();
  const existing = await models.User.findOne({ where: { email } });
  if (existing) {
    if (existing.googleId) return { ok: false, reason: "linked_to_other_google" };
    existing.googleId = identity.googleId;
    if (!existing.activatedAt) {
      // Never activated: whoever registered it did not prove the mailbox, so their password goes.
      existing.activatedAt = new Date();
      existing.passwordHash = null;
    }
    await existing.save();
    return { ok: true, user: existing, outcome: "linked" };
  }
  try {
    const user = await models.User.create({
      name: nameFor(identity, email),
      email,
      googleId: identity.googleId,
      activatedAt: new Date(),
      passwordHash: null,
    });
    return { ok: true, user, outcome: "created" };
  } catch (error) {
    // The same person finishing two Google logins at once: the other one created the account.
    if (error instanceof UniqueConstraintError && !retried) {
      return googleSignIn(models, identity, true);
    }
    throw error;
  }
}
