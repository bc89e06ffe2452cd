import { z } from "zod";
import { responds } from "../../http/apiResponse";
import {
  loginExample,
  loginSchemaOut,
  meExample,
  meSchema,
  tokensExampleValue,
  tokensSchema,
} from "./apiResponses";
import { routes, type Endpoint } from "../../http/endpoint";
import type { RequestContext } from "../../tenancy/context";
import { apiLogin, apiLogout, me, refreshTokens } from "./api";
import { apiLoginSchema, logoutSchema, refreshTokenSchema } from "./apiSchema";
import { googleCallback, googleConfigured, startGoogle } from "./google";
import { login, logout, renderLoginFailure, showLogin } from "./pages";
import {
  change,
  forgot,
  renderChangeFailure,
  renderForgotFailure,
  renderResetFailure,
  reset,
  showChange,
  showForgot,
  showReset,
} from "./passwordPages";
import {
  activate,
  register,
  renderRegisterFailure,
  renderResendFailure,
  resend,
  showActivate,
  showRegister,
  showResend,
} from "./registration";
import {
  changePasswordSchema,
  emailOnlySchema,
  loginPageSchema,
  loginSchema,
  registerSchema,
  resetPasswordSchema,
  tokenSchema,
} from "./schema";

const page = routes({ auth: "page" });
const api = routes({ auth: "api" });

/** Signing in and out: the page, Google, and the API's token pair. */
export const authEndpoints: Endpoint[] = [
  page.get("/login", "anyone", { query: loginPageSchema, handler: showLogin }),
  page.post("/login", "anyone", {
    body: loginSchema,
    // A wrong password (401) and too many attempts (429) come back on the form too.
    form: {
      render: renderLoginFailure,
      shows: ["validation_failed", "unauthorized", "rate_limited"],
    },
    handler: login,
  }),
  page.post("/logout", "anyone", { handler: logout }),
  page.get("/auth/google", "anyone", { enabledWhen: googleConfigured, handler: startGoogle }),
  page.get("/auth/google/callback", "anyone", {
    enabledWhen: googleConfigured,
    handler: googleCallback,
  }),
  api.post("/api/v1/auth/login", "anyone", {
    summary: "Sign in: an access token and a refresh token",
    body: apiLoginSchema,
    response: responds(loginSchemaOut, loginExample),
    handler: apiLogin,
  }),
  api.post("/api/v1/auth/refresh-token", "anyone", {
    summary: "Renew the tokens (the refresh token is used up)",
    body: refreshTokenSchema,
    response: responds(tokensSchema, tokensExampleValue),
    handler: refreshTokens,
  }),
  // Anyone: an expired access token may still sign out with its refresh token.
  api.post("/api/v1/auth/logout", "anyone", {
    summary: "Sign out this API session",
    body: logoutSchema,
    response: responds(z.null(), null),
    handler: apiLogout,
  }),
  api.get("/api/v1/auth/me", "signed-in", {
    summary: "Who the token belongs to, and their businesses",
    response: responds(meSchema, meExample),
    handler: me,
  }),
];

/** Sign-up, activation by e-mailed link, and resending that link. */
export const registrationEndpoints: Endpoint[] = [
  page.get("/register", "anyone", { handler: showRegister }),
  page.post("/register", "anyone", {
    body: registerSchema,
    form: { render: renderRegisterFailure },
    handler: register,
  }),
  page.get("/activate", "anyone", { query: tokenSchema, handler: showActivate }),
  page.post("/activate", "anyone", { body: tokenSchema, handler: activate }),
  page.get("/activate/resend", "anyone", { handler: showResend }),
  page.post("/activate/resend", "anyone", {
    body: emailOnlySchema,
    form: { render: renderResendFailure },
    handler: resend,
  }),
];

/** Forgot → e-mailed link → reset; and changing one's password when signed in. */
export const passwordEndpoints: Endpoint[] = [
  page.get("/forgot-password", "anyone", { handler: showForgot }),
  page.post("/forgot-password", "anyone", {
    body: emailOnlySchema,
    form: { render: renderForgotFailure },
    handler: forgot,
  }),
  page.get("/reset-password", "anyone", { query: tokenSchema, handler: showReset }),
  page.post("/reset-password", "anyone", {
    body: resetPasswordSchema,
    form: { render: renderResetFailure },
    handler: reset,
  }),
  page.get("/account/password", "signed-in", { handler: showChange }),
  page.post("/account/password", "signed-in", {
    body: (ctx: RequestContext) => changePasswordSchema(ctx.user),
    form: { render: renderChangeFailure },
    handler: change,
  }),
];
