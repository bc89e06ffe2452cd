import { endpoint, type Endpoint } from "../../http/endpoint";
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

/** Signing in and out: the page, Google, and the API's token pair. */
export const authEndpoints: Endpoint[] = [
  endpoint({
    method: "get",
    path: "/login",
    auth: "page",
    permission: "anyone",
    query: loginPageSchema,
    handler: showLogin,
  }),
  endpoint({
    method: "post",
    path: "/login",
    auth: "page",
    permission: "anyone",
    body: loginSchema,
    // Wrong password (401) and too many attempts (429) come back on the form too.
    form: {
      render: renderLoginFailure,
      shows: ["validation_failed", "unauthorized", "rate_limited"],
    },
    handler: login,
  }),
  endpoint({
    method: "post",
    path: "/logout",
    auth: "page",
    permission: "anyone",
    handler: logout,
  }),
  endpoint({
    method: "get",
    path: "/auth/google",
    auth: "page",
    permission: "anyone",
    enabledWhen: googleConfigured,
    handler: startGoogle,
  }),
  endpoint({
    method: "get",
    path: "/auth/google/callback",
    auth: "page",
    permission: "anyone",
    enabledWhen: googleConfigured,
    handler: googleCallback,
  }),
  endpoint({
    method: "post",
    path: "/api/v1/auth/login",
    auth: "api",
    permission: "anyone",
    body: apiLoginSchema,
    handler: apiLogin,
  }),
  endpoint({
    method: "post",
    path: "/api/v1/auth/refresh-token",
    auth: "api",
    permission: "anyone",
    body: refreshTokenSchema,
    handler: refreshTokens,
  }),
  // Anyone: an expired access token may still sign out with its refresh token.
  endpoint({
    method: "post",
    path: "/api/v1/auth/logout",
    auth: "api",
    permission: "anyone",
    body: logoutSchema,
    handler: apiLogout,
  }),
  endpoint({
    method: "get",
    path: "/api/v1/auth/me",
    auth: "api",
    permission: "signed-in",
    handler: me,
  }),
];

/** Sign-up, activation by e-mailed link, and resending that link. */
export const registrationEndpoints: Endpoint[] = [
  endpoint({
    method: "get",
    path: "/register",
    auth: "page",
    permission: "anyone",
    handler: showRegister,
  }),
  endpoint({
    method: "post",
    path: "/register",
    auth: "page",
    permission: "anyone",
    body: registerSchema,
    form: { render: renderRegisterFailure },
    handler: register,
  }),
  endpoint({
    method: "get",
    path: "/activate",
    auth: "page",
    permission: "anyone",
    query: tokenSchema,
    handler: showActivate,
  }),
  endpoint({
    method: "post",
    path: "/activate",
    auth: "page",
    permission: "anyone",
    body: tokenSchema,
    handler: activate,
  }),
  endpoint({
    method: "get",
    path: "/activate/resend",
    auth: "page",
    permission: "anyone",
    handler: showResend,
  }),
  endpoint({
    method: "post",
    path: "/activate/resend",
    auth: "page",
    permission: "anyone",
    body: emailOnlySchema,
    form: { render: renderResendFailure },
    handler: resend,
  }),
];

/** Forgot → e-mailed link → reset; and changing one's password when signed in. */
export const passwordEndpoints: Endpoint[] = [
  endpoint({
    method: "get",
    path: "/forgot-password",
    auth: "page",
    permission: "anyone",
    handler: showForgot,
  }),
  endpoint({
    method: "post",
    path: "/forgot-password",
    auth: "page",
    permission: "anyone",
    body: emailOnlySchema,
    form: { render: renderForgotFailure },
    handler: forgot,
  }),
  endpoint({
    method: "get",
    path: "/reset-password",
    auth: "page",
    permission: "anyone",
    query: tokenSchema,
    handler: showReset,
  }),
  endpoint({
    method: "post",
    path: "/reset-password",
    auth: "page",
    permission: "anyone",
    body: resetPasswordSchema,
    form: { render: renderResetFailure },
    handler: reset,
  }),
  endpoint({
    method: "get",
    path: "/account/password",
    auth: "page",
    permission: "signed-in",
    handler: showChange,
  }),
  endpoint({
    method: "post",
    path: "/account/password",
    auth: "page",
    permission: "signed-in",
    body: (ctx: RequestContext) => changePasswordSchema(ctx.user),
    form: { render: renderChangeFailure },
    handler: change,
  }),
];
