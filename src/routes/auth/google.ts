import { Router, type NextFunction, type Request, type Response } from "express";
import passport from "passport";
import {
  Strategy as GoogleStrategy,
  type Profile,
  type VerifyCallback,
} from "passport-google-oauth20";
import type { Deps } from "../../deps";
import { logActivity } from "../../commands/activityLogger";
import { googleSignIn, type GoogleIdentity } from "../../commands/googleSignIn";
import { startBrowserSession } from "../../lib/browserSessions";
import { flash } from "../../middleware/flash";

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

/** What the verify step hands to the callback route. */
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

/**
 * Sign-in with Google (passport-google-oauth20, no passport sessions): the OAuth state and PKCE
 * verifier live in the server-side session; the callback resolves the account, then starts our
 * own browser session exactly as a password sign-in does. Without Google settings there are no
 * routes, so both URLs answer 404.
 */
export function googleAuthPages(deps: Deps): Router {
  const router = Router();
  const { config, logger, models } = deps;
  if (!config.google) return router;

  const strategy = new GoogleStrategy(
    {
      clientID: config.google.clientId,
      clientSecret: config.google.clientSecret,
      callbackURL: `${config.APP_URL.replace(/\/+$/, "")}/auth/google/callback`,
      authorizationURL: config.GOOGLE_AUTHORIZATION_URL,
      tokenURL: config.GOOGLE_TOKEN_URL,
      userProfileURL: config.GOOGLE_USERINFO_URL,
      scope: ["openid", "email", "profile"],
      state: true,
      pkce: true,
    },
    (_accessToken: string, _refreshToken: string, profile: Profile, done: VerifyCallback) => {
      googleSignIn(models, identityOf(profile))
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

  const refuse = (req: Request, res: Response, message: string) => {
    flash(req, "danger", message);
    res.redirect("/login");
  };

  router.get("/auth/google", (req, res, next) => {
    if (req.currentUser) return res.redirect("/");
    authenticator.authenticate("google", { session: false })(req, res, next);
  });

  router.get("/auth/google/callback", (req: Request, res: Response, next: NextFunction) => {
    const finish = async (error: unknown, login: unknown, info: unknown): Promise<void> => {
      if (error) {
        logger.warn({ err: error, reqId: req.id }, "google sign-in failed");
        return refuse(req, res, messages.failed);
      }
      if (!isGoogleLogin(login)) {
        // Only our own wording: a provider's error text arrives in the query string.
        const message =
          typeof info === "object" && info !== null && "message" in info ? info.message : null;
        const known = Object.values(messages).find((text) => text === message);
        return refuse(req, res, known ?? messages.cancelled);
      }
      await startBrowserSession(req, login.userId);
      await logActivity(models, req, {
        userId: login.userId,
        action: "auth.sign_in",
        details: { method: "google" },
      });
      flash(req, "success", login.created ? messages.created : messages.welcome);
      res.redirect("/");
    };
    authenticator.authenticate(
      "google",
      { session: false },
      (error: unknown, login: unknown, info: unknown) => {
        finish(error, login, info).catch(next);
      },
    )(req, res, next);
  });

  return router;
}
