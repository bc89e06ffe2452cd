import path from "node:path";
import type { Request, Response } from "express";
import { formLogoFile } from "../../commands/forms/logo";
import { AppError } from "../../errors";
import { imageContentTypes } from "../../lib/images";
import { readTracking, trackingFields, type Tracking } from "../../commands/forms/answers";
import { publicForm, type PublicForm } from "../../commands/forms/formCache";
import { countSpam, submitForm } from "../../commands/forms/submit";
import { honeypotField, issueFormToken, tokenField } from "../../commands/forms/spam";
import type { Call } from "../../http/endpoint";
import type { Deps } from "../../deps";
import type { Form } from "../../models";
import { publicFields } from "../forms/views";

type SlugParams = { slug: string };
/** A visitor's call: no session, no context, only the form's address. */
type PublicCall = Call<"public", unknown, SlugParams, unknown, unknown, undefined>;

const closedMessage = "This form is not open. It may have been closed or its address changed.";

function renderClosed(res: Response) {
  res.status(404).render("publicForms/closed", {
    layout: false,
    title: "Form closed",
    message: closedMessage,
  });
}

/** The page's tracking: the query's UTM, who linked here, and this page's own address. */
function trackingOfVisit(req: Request, deps: Deps): Tracking {
  const query = req.query as Record<string, unknown>;
  const origin = deps.config.APP_URL.replace(/\/+$/, "");
  return readTracking({
    ...Object.fromEntries(trackingFields.map((name) => [name, query[name]])),
    referrer: req.get("referer") ?? null,
    landing_page: `${origin}${req.originalUrl}`,
  });
}

function renderForm(
  res: Response,
  deps: Deps,
  { form, fields, business }: PublicForm,
  options: {
    values?: Record<string, string | string[]>;
    errors?: Record<string, string>;
    tracking: Tracking;
    notice?: string;
    status?: number;
  },
) {
  const errors = options.errors ?? {};
  res.status(options.status ?? 200).render("publicForms/show", {
    layout: false,
    title: form.title,
    form: {
      slug: form.slug,
      title: form.title,
      description: form.description,
      businessName: business.name,
      // The file's name changes with every upload, so a cached page never shows a stale logo.
      logoUrl: form.logoFile ? `/f/${form.slug}/logo?v=${form.logoFile.slice(-12, -4)}` : null,
    },
    fields: publicFields(fields, options.values ?? {}, errors),
    hasErrors: Object.keys(errors).length > 0,
    errorCount: Object.keys(errors).length,
    notice: options.notice,
    tracking: trackingFields.map((name) => ({ name, value: options.tracking[name] ?? "" })),
    token: issueFormToken(deps.config, form.id, deps.clock.now()),
    tokenField,
    honeypotField,
  });
}

/** GET /f/:slug: the published form, server-rendered, no script needed. */
export async function showPublicForm({ req, res, deps, params }: PublicCall) {
  const target = await publicForm(deps, params.slug);
  if (!target) return renderClosed(res);
  renderForm(res, deps, target, { tracking: trackingOfVisit(req, deps) });
}

function renderThanks(res: Response, form: Form) {
  res.render("publicForms/thanks", {
    layout: false,
    title: form.title,
    form: { slug: form.slug, title: form.title },
    message:
      form.successMessage ?? "Thank you! We have received your details and will be in touch.",
  });
}

/**
 * POST /f/:slug: the per-IP limit (over it: 429, counted as spam), then the command's verdict:
 * spam gets the same thanks a person would (nothing tells a bot what gave it away), a page left
 * open too long comes back to send again, bad answers come back with every field's error (422).
 */
export async function submitPublicForm({ req, res, deps, params }: PublicCall) {
  const target = await publicForm(deps, params.slug);
  if (!target) return renderClosed(res);
  const { form } = target;
  const rule = { points: deps.config.FORMS_SUBMISSIONS_PER_IP_PER_MINUTE, durationSeconds: 60 };
  const limit = await deps.rateLimits.consume("public-form-submit", rule, req.ip ?? "unknown");
  if (!limit.allowed) {
    await countSpam(deps, form);
    res.setHeader("Retry-After", String(limit.retryAfterSeconds));
    res.status(429).render("publicForms/closed", {
      layout: false,
      title: form.title,
      message: "Too many submissions from your network. Please wait a minute and send it again.",
    });
    return;
  }
  const body = (req.body ?? {}) as Record<string, unknown>;
  const result = await submitForm(deps, target, body);
  const tracking = readTracking(body);
  if (result.kind === "invalid")
    return renderForm(res, deps, target, {
      values: result.values,
      errors: result.errors,
      tracking,
      status: 422,
    });
  if (result.kind === "expired")
    return renderForm(res, deps, target, {
      values: result.values,
      tracking,
      notice: "This page was open for a long time. Check your answers and send the form again.",
    });
  if (result.kind === "accepted" && form.redirectUrl) return res.redirect(303, form.redirectUrl);
  renderThanks(res, form);
}

/** GET /f/:slug/theme.css: the form's colour (the CSP allows no inline style). */
export async function formTheme({ res, deps, params }: PublicCall) {
  const form = (await publicForm(deps, params.slug))?.form;
  // The colour is stored as #rrggbb only (formSettingsSchema), so it is safe to write as is.
  const color = form && /^#[0-9a-f]{6}$/i.test(form.color) ? form.color : "#0d6efd";
  res.setHeader("Content-Type", "text/css; charset=utf-8");
  res.setHeader("Cache-Control", "public, max-age=300");
  res.send(`.form-themed{--form-accent:${color};}\n`);
}

/** GET /f/:slug/logo: the published form's logo (its bytes decided its type when it was saved). */
export async function formLogo({ res, deps, params }: PublicCall) {
  const form = (await publicForm(deps, params.slug))?.form;
  const file = formLogoFile(deps.config.uploadsDir, form?.logoFile ?? null);
  if (!file) throw AppError.notFound();
  const extension = path.extname(file).slice(1) as keyof typeof imageContentTypes;
  const headers = {
    "Content-Type": imageContentTypes[extension],
    "X-Content-Type-Options": "nosniff",
    // A new logo gets a new name, and the page's link follows the cached form within minutes.
    "Cache-Control": "public, max-age=300",
    "Content-Disposition": "inline",
  };
  await new Promise<void>((resolve, reject) =>
    res.sendFile(file, { dotfiles: "deny", headers }, (err) =>
      err && !res.headersSent ? reject(AppError.notFound()) : resolve(),
    ),
  );
}
