import type { Request, Response } from "express";
import { logActivity } from "../../commands/activityLogger";
import {
  changePassword,
  requestPasswordReset,
  resetLinkIsValid,
  resetPassword,
} from "../../commands/passwords";
import { AppError } from "../../errors";
import type {
  AccountCall,
  CallInput,
  FormFailure,
  PageFormCall,
  VisitorCall,
} from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import type { RequestContext } from "../../tenancy/context";
import type { changePasswordSchema } from "./schema";
import { type emailOnlySchema, type resetPasswordSchema, type tokenSchema } from "./schema";

const messages = {
  resetSent: (perHour: number) =>
    `If that address has an account, a link to choose a new password is on its way. It works for one hour; we send at most ${perHour} links an hour to one address.`,
  badLink: "That link is invalid, already used or expired. Ask for a new one.",
  changed: "Password changed. Your other sessions were signed out.",
};

type FailedForm = PageFormCall<CallInput, RequestContext | undefined>;

function page(
  req: Request,
  title: string,
  extra: Record<string, unknown> = {},
  errors: FieldErrors = {},
) {
  return { layout: "public", title, csrfToken: csrfToken(req), errors, ...extra };
}

/** A used or expired reset link: say so, and offer to send a new one. */
function linkExpired(req: Request, res: Response): void {
  res
    .status(400)
    .render(
      "auth/forgot-password",
      page(req, "Link expired", { values: {} }, { form: messages.badLink }),
    );
}

/** GET /forgot-password */
export function showForgot({ req, res }: VisitorCall) {
  res.render("auth/forgot-password", page(req, "Forgot your password?", { values: {} }));
}

export function renderForgotFailure({ req, res }: FailedForm, failure: FormFailure) {
  res
    .status(failure.status)
    .render(
      "auth/forgot-password",
      page(req, "Forgot your password?", { values: failure.values }, failure.errors),
    );
}

/** POST /forgot-password: the same answer, after the same work, for every address. */
export async function forgot({
  req,
  res,
  deps,
  body,
}: VisitorCall<{ body: typeof emailOnlySchema }>) {
  await requestPasswordReset(deps, req.ip ?? "unknown", body.email);
  res.render("auth/check-email", {
    layout: "public",
    title: "Check your e-mail",
    message: messages.resetSent(deps.config.ACCOUNT_MAIL_PER_ADDRESS_PER_HOUR),
  });
}

/** GET /reset-password */
export async function showReset({
  req,
  res,
  deps,
  query,
}: VisitorCall<{ query: typeof tokenSchema }>) {
  if (!(await resetLinkIsValid(deps, query.token))) return linkExpired(req, res);
  res.render("auth/reset-password", page(req, "Choose a new password", { token: query.token }));
}

export function renderResetFailure({ req, res }: FailedForm, failure: FormFailure) {
  const token = typeof failure.values.token === "string" ? failure.values.token : "";
  res
    .status(failure.status)
    .render("auth/reset-password", page(req, "Choose a new password", { token }, failure.errors));
}

/** POST /reset-password: every session of the account ends; sign in again with the new one. */
export async function reset({
  req,
  res,
  deps,
  body,
}: VisitorCall<{ body: typeof resetPasswordSchema }>) {
  const user = await resetPassword(deps, body.token, body.password);
  if (!user) return linkExpired(req, res);
  await logActivity(deps.models, req, { userId: user.id, action: "password.reset" });
  return redirect("/login?reset=1");
}

function changeView(req: Request, errors: FieldErrors) {
  return { title: "Change password", csrfToken: csrfToken(req), errors };
}

/** GET /account/password */
export function showChange({ req, res }: AccountCall) {
  res.render("auth/change-password", changeView(req, {}));
}

export function renderChangeFailure(
  { req, res }: PageFormCall<CallInput, RequestContext>,
  failure: FormFailure,
) {
  res.status(failure.status).render("auth/change-password", changeView(req, failure.errors));
}

/** POST /account/password: the current password first; other sessions end, this one stays. */
export async function change({
  req,
  deps,
  ctx,
  body,
}: AccountCall<{ body: ReturnType<typeof changePasswordSchema> }>) {
  const result = await changePassword(
    deps,
    ctx.user.id,
    body.currentPassword,
    body.password,
    req.sessionID,
  );
  if (!result.ok) throw AppError.validation({ [result.field]: result.message });
  await logActivity(deps.models, req, { userId: ctx.user.id, action: "password.changed" });
  return redirect("/account/password", messages.changed);
}
