import passport from "passport";
import {
  Strategy as GoogleStrategy,
  type Profile,
  type VerifyCallback,
} from "passport-google-oauth20";
import type { Config } from "../../config";
import type { Deps } from "../../deps";
import { logActivity } from "../../commands/activityLogger";
import { googleSignIn, type GoogleIdentity } from "../../commands/googleSignIn";
import type { VisitorCall } from "../../http/endpoint";
import { runMiddleware } from "../../http/middleware";
import { redirect } from "../../http/outcomes";
import { startBrowserSession } from "../../lib/browserSessions";

const messages = {
  welcome: "Welcome back.",
  created: "Welcome! Your account is ready.",
  email_missing:
    "Your Google account did not share an e-mail address, so we cannot sign you in with it.",
  email_unverified:
    "Google has not verified the e-mail address of that Google account, so we cannot use it to sign you in. Sign in with your password instead.",
  linked_to_other_google:
    "That e-mail address belongs to an account linked to a different Google account. Sign in with that Google account or with your password.",
  cancelled: "Google sign-in was cancelled or has expired. Please try again.",
  failed: "Google sign-in did not work this time. Please try again.",
};

/** What the verify step hands to the callback. */
interface GoogleLogin {
  userId: number;
  created: boolean;
}

function isGoogleLogin(value: unknown): value is GoogleLogin {
  return typeof value === "object" && value !== null && "userId" in value && "created" in value;
}

function identityOf(profile: Profile): GoogleIdentity {
  const email = profile.emails?.[0];
  // Google's userinfo says true; some OpenID providers send the string "true".
  const verified: unknown = email?.verified;
  return {
    googleId: profile.id,
    email: email?.value ?? null,
    emailVerified: verified === true || verified === "true",
    name: profile.displayName || null,
  };
}

/** The endpoints exist only when Google sign-in is configured; otherwise both URLs are 404. */
export const googleConfigured = (config: Config) => Boolean(config.google);

/** One passport authenticator per process (per set of services), built on first use. */
const authenticators = new WeakMap<Deps, passport.Authenticator>();

function authenticatorFor(deps: Deps): passport.Authenticator {
  const existing = authenticators.get(deps);
  if (existing) return existing;
  const google = deps.config.google;
  if (!google) throw new Error("Google sign-in is not configured");
  const strategy = new GoogleStrategy(
    {
      clientID: google.clientId,
      clientSecret: google.clientSecret,
      callbackURL: `${deps.config.APP_URL.replace(/\/+$/, "")}/auth/google/callback`,
      authorizationURL: deps.config.GOOGLE_AUTHORIZATION_URL,
      tokenURL: deps.config.GOOGLE_TOKEN_URL,
      userProfileURL: deps.config.GOOGLE_USERINFO_URL,
      scope: ["openid", "email", "profile"],
      state: true,
      pkce: true,
    },
    (_accessToken: string, _refreshToken: string, profile: Profile, done: VerifyCallback) => {
      googleSignIn(deps.models, identityOf(profile))
        .then((result) => {
          if (!result.ok) return done(null, false, { message: messages[result.reason] });
          const login: GoogleLogin = {
            userId: result.user.id,
            created: result.outcome === "created",
          };
          done(null, login);
        })
        .catch((error: unknown) => done(error));
    },
  );
  const authenticator = new passport.Authenticator();
  authenticator.use(strategy);
  authenticators.set(deps, authenticator);
  return authenticator;
}

/**
 * GET /auth/google (passport-google-oauth20, no passport sessions): the OAuth state and PKCE
 * verifier live in the server-side session; the callback starts our own browser session exactly
 * as a password sign-in does.
 */
export async function startGoogle({ req, res, deps }: VisitorCall) {
  if (req.currentUser) return redirect("/");
  await runMiddleware(req, res, authenticatorFor(deps).authenticate("google", { session: false }));
}

/** GET /auth/google/callback */
export async function googleCallback({ req, res, deps }: VisitorCall) {
  const { error, login, info } = await new Promise<{
    error: unknown;
    login: unknown;
    info: unknown;
  }>((resolve, reject) => {
    const authenticate = authenticatorFor(deps).authenticate(
      "google",
      { session: false },
      (error: unknown, login: unknown, info: unknown) => resolve({ error, login, info }),
    );
    runMiddleware(req, res, authenticate).catch(reject);
  });
  if (error) {
    deps.logger.warn({ err: error, reqId: req.id }, "google sign-in failed");
    return redirect("/login", { type: "danger", message: messages.failed });
  }
  if (!isGoogleLogin(login)) {
    // Only our own wording: a provider's error text arrives in the query string.
    const message =
      typeof info === "object" && info !== null && "message" in info ? info.message : null;
    const known = Object.values(messages).find((text) => text === message);
    return redirect("/login", { type: "danger", message: known ?? messages.cancelled });
  }
  await startBrowserSession(req, login.userId);
  await logActivity(deps.models, req, {
    userId: login.userId,
    action: "auth.sign_in",
    details: { method: "google" },
  });
  return redirect("/", login.created ? messages.created : messages.welcome);
}
