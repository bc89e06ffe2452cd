import type { Request, Response } from "express";
import { logActivity } from "../../commands/activityLogger";
import {
  activateAccount,
  activationLinkIsValid,
  registerUser,
  resendActivation,
} from "../../commands/registration";
import type { FormFailure, VisitorCall, PageFormCall, CallInput } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { startBrowserSession } from "../../lib/browserSessions";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import type { RequestContext } from "../../tenancy/context";
import { type emailOnlySchema, type registerSchema, type tokenSchema } from "./schema";

const messages = {
  checkEmail:
    "Check your inbox: we sent a link to finish setting up your account. It works for 48 hours.",
  resent: (perHour: number) =>
    `If that address has an account waiting for activation, a new link is on its way. We send at most ${perHour} links an hour to one address.`,
  activated: "Your account is active. Welcome!",
  badLink: "That activation link is invalid, already used or expired. Ask for a new one below.",
};

type FailedForm = PageFormCall<CallInput, RequestContext | undefined>;

function form(
  req: Request,
  title: string,
  values: Record<string, unknown> = {},
  errors: FieldErrors = {},
) {
  return { layout: "public", title, csrfToken: csrfToken(req), values, errors };
}

/** A used or expired activation link: say so, with the form to send a new one. */
function linkExpired(req: Request, res: Response): void {
  res
    .status(400)
    .render("auth/resend", form(req, "Activation link expired", {}, { form: messages.badLink }));
}

function checkEmail(res: Response, message: string): void {
  res.render("auth/check-email", { layout: "public", title: "Check your e-mail", message });
}

/** GET /register */
export function showRegister({ req, res }: VisitorCall) {
  if (req.currentUser) return redirect("/");
  res.render("auth/register", form(req, "Create your account"));
}

export function renderRegisterFailure({ req, res }: FailedForm, failure: FormFailure) {
  const { name, email } = failure.values;
  res
    .status(failure.status)
    .render("auth/register", form(req, "Create your account", { name, email }, failure.errors));
}

/** POST /register: the same answer whether or not the address has an account. */
export async function register({ res, deps, body }: VisitorCall<{ body: typeof registerSchema }>) {
  await registerUser(deps, body);
  checkEmail(res, messages.checkEmail);
}

/**
 * GET /activate only shows a button: a GET must not sign anyone in (mail scanners open links, and
 * a crafted link would sign a victim into someone else's account).
 */
export async function showActivate({
  req,
  res,
  deps,
  query,
}: VisitorCall<{ query: typeof tokenSchema }>) {
  if (!(await activationLinkIsValid(deps, query.token))) return linkExpired(req, res);
  res.render("auth/activate", { ...form(req, "Activate your account"), token: query.token });
}

/** POST /activate */
export async function activate({
  req,
  res,
  deps,
  body,
}: VisitorCall<{ body: typeof tokenSchema }>) {
  const result = await activateAccount(deps, body.token);
  if (result.status === "invalid") return linkExpired(req, res);
  await logActivity(deps.models, req, { userId: result.user.id, action: "account.activated" });
  if (result.status === "choose_password")
    return redirect(`/reset-password?token=${encodeURIComponent(result.resetToken)}`);
  await startBrowserSession(req, result.user.id);
  return redirect("/", messages.activated);
}

/** GET /activate/resend */
export function showResend({ req, res }: VisitorCall) {
  res.render("auth/resend", form(req, "Resend activation link"));
}

export function renderResendFailure({ req, res }: FailedForm, failure: FormFailure) {
  res
    .status(failure.status)
    .render("auth/resend", form(req, "Resend activation link", failure.values, failure.errors));
}

/** POST /activate/resend: the same answer, after the same work, for every address. */
export async function resend({
  req,
  res,
  deps,
  body,
}: VisitorCall<{ body: typeof emailOnlySchema }>) {
  await resendActivation(deps, req.ip ?? "unknown", body.email);
  checkEmail(res, messages.resent(deps.config.ACCOUNT_MAIL_PER_ADDRESS_PER_HOUR));
}
