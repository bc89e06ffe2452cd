import { rm } from "node:fs/promises";
import express, {
  type ErrorRequestHandler,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from "express";
import type { Deps } from "../deps";
import { AppError, isAppError } from "../errors";
import { fieldErrors, type FieldErrors } from "../lib/forms";
import { requireApiUser } from "../middleware/bearerAuth";
import { checkDeferredCsrf } from "../middleware/csrf";
import { requireUser } from "../middleware/currentUser";
import { flash } from "../middleware/flash";
import { requireFeature, requireWithinLimits } from "../plans/planGate";
import { actions, type Action } from "../policies/permissions";
import { authorize, requireBusiness, tenantOf } from "../tenancy/context";
import type { z } from "zod";
import type {
  AuthMode,
  Call,
  Endpoint,
  FormCall,
  FormFailure,
  Permission,
  SchemaFor,
} from "./endpoint";
import { envelope, isOutcome } from "./outcomes";
import { rateLimitStep } from "./rateLimit";
import { scopeCovers, scopeNeeded } from "./tokenScopes";

/**
 * The steps every endpoint runs, in order (http/mount.ts): params → rate limit → (public: body
 * parsers; webhook: raw body, signature) → access → load → plan feature → permission → (upload) →
 * validate → handler → answer. Each is a plain Express middleware; what they learn about the
 * request travels in a per-request state, never on `req`.
 */
interface CallState {
  params: unknown;
  query: unknown;
  body: unknown;
  record: unknown;
  rawBody: Buffer | undefined;
  /** gates: access, params, load, plan, permission; input: upload and validation; then handler. */
  stage: "gates" | "input" | "handler";
}

const states = new WeakMap<Request, CallState>();

function stateOf(req: Request): CallState {
  let state = states.get(req);
  if (!state) {
    state = {
      params: {},
      query: {},
      body: {},
      record: undefined,
      rawBody: undefined,
      stage: "gates",
    };
    states.set(req, state);
  }
  return state;
}

const noop: RequestHandler = (_req, _res, next) => next();

/** Errors of JSON endpoints outside /api (webhooks, health checks) come as the envelope too. */
export function respondsAs(format: "json" | "html"): RequestHandler {
  return (_req, res, next) => {
    res.locals.responds = format;
    next();
  };
}

export function isAction(permission: unknown): permission is Action {
  return (actions as readonly unknown[]).includes(permission);
}

/** Who may come in: signed in (session or Bearer token), in a business, a platform admin. */
export function accessStep(mode: AuthMode, permission: Permission): RequestHandler[] {
  if (mode === "public" || mode === "webhook" || permission === "anyone") return [];
  const signedIn = mode === "api" ? requireApiUser : requireUser;
  if (permission === "signed-in") return [signedIn];
  if (permission === "platform-admin") {
    // To everyone else the page does not exist.
    const adminOnly: RequestHandler = (req, _res, next) =>
      next(req.currentUser?.isPlatformAdmin ? undefined : AppError.notFound());
    return [signedIn, adminOnly];
  }
  return [signedIn, requireBusiness];
}

/**
 * A personal API token reaches only what its scopes cover (write covers read); a JWT login and a
 * browser session are limited by the member's role alone. After access: an unknown token is a 401.
 */
export function tokenScopeStep(endpoint: Endpoint): RequestHandler {
  const needed = scopeNeeded(endpoint);
  if (!needed) return noop;
  const scope = `${needed.resource}:${needed.access}`;
  return (req, _res, next) => {
    const token = req.personalToken;
    if (!token || scopeCovers(token.scopes, needed)) return next();
    next(
      new AppError("insufficient_scope", `This token needs the scope ${scope}.`, {
        scope,
        granted: token.scopes,
      }),
    );
  };
}

/** Path parameters that do not fit the schema name no record here: the next route may match. */
export function paramsStep(endpoint: Endpoint): RequestHandler {
  const schema = endpoint.params;
  if (!schema) return noop;
  return (req, _res, next) => {
    const parsed = schema.safeParse(req.params);
    if (!parsed.success) return next("route");
    stateOf(req).params = parsed.data;
    next();
  };
}

/** The record the path names, through the endpoint's tenant-scoped loader (404 otherwise). */
export function loadStep(endpoint: Endpoint, deps: Deps): RequestHandler {
  const load = endpoint.load;
  if (!load) return noop;
  return async (req, _res, next) => {
    const state = stateOf(req);
    state.record = await load({ req, deps, ctx: req.ctx, params: state.params });
    next();
  };
}

/**
 * The plan's feature, the permission, then the plan's limits: after the record is found, so
 * another tenant's is a 404.
 */
export function gateSteps(endpoint: Endpoint, deps: Deps): RequestHandler[] {
  const steps: RequestHandler[] = [];
  if (endpoint.feature) steps.push(requireFeature(endpoint.feature));
  const permission = endpoint.permission;
  if (isAction(permission)) {
    steps.push((req, _res, next) => {
      authorize(tenantOf(req), permission);
      next();
    });
  }
  // Beyond the plan's limits, records are read-only: after the permission, so a member who may
  // not write hears 403 (src/plans/readOnly.ts).
  if (endpoint.feature) steps.push(requireWithinLimits(endpoint.feature, deps));
  return steps;
}

/** Public forms read urlencoded or JSON bodies themselves: the app's parser sits after the session. */
export function publicBodyStep(): RequestHandler[] {
  return [
    express.urlencoded({ extended: false, limit: "1mb" }),
    express.json({ limit: "1mb" }),
    (req, _res, next) => {
      req.body ??= {};
      next();
    },
  ];
}

/** Webhooks: the body exactly as sent, whatever its type, kept for the signature check. */
export function rawBodyStep(): RequestHandler[] {
  return [
    express.raw({ type: () => true, limit: "1mb" }),
    (req, _res, next) => {
      stateOf(req).rawBody = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      next();
    },
  ];
}

/** A webhook whose signature does not match its raw bytes is refused before anything reads it. */
export function verifyStep(endpoint: Endpoint, deps: Deps): RequestHandler {
  const verify = endpoint.verify;
  if (!verify) return noop;
  return async (req, _res, next) => {
    const rawBody = stateOf(req).rawBody ?? Buffer.alloc(0);
    if (!(await verify({ req, deps, rawBody })))
      return next(new AppError("unauthorized", "The signature does not match the body."));
    next();
  };
}

/**
 * From here on errors are about the input (the form-action helper shows them on the form). A
 * multipart body (files and fields) is read here, once the caller is known to be allowed.
 */
export function inputStep(endpoint: Endpoint, deps: Deps): RequestHandler {
  const upload = endpoint.upload?.(deps);
  return async (req, res, next) => {
    stateOf(req).stage = "input";
    try {
      if (upload) await upload(req, res);
    } catch (error) {
      // A refused upload is answered only to a form that carried its token.
      checkDeferredCsrf(req);
      throw error;
    }
    checkDeferredCsrf(req);
    next();
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The body a webhook's schema checks: its raw bytes read as JSON, after the signature check. */
function webhookJson(rawBody: Buffer | undefined): unknown {
  if (!rawBody || rawBody.length === 0) return {};
  try {
    return JSON.parse(rawBody.toString("utf8")) as unknown;
  } catch {
    throw new AppError("bad_request", "The body is not valid JSON.");
  }
}

/** The endpoint's schema, built for this caller (and record) when it depends on them. */
function schemaOf(
  schema: z.ZodType | SchemaFor<unknown, unknown, z.ZodType>,
  req: Request,
): z.ZodType {
  return typeof schema === "function" ? schema(req.ctx, stateOf(req).record) : schema;
}

/**
 * Validation as middleware: query and body through the endpoint's own schemas; the handler gets
 * their output, typed. Every field's problem is reported at once (422 validation_failed).
 */
export function validateStep(endpoint: Endpoint, mode: AuthMode): RequestHandler {
  const { query, body } = endpoint;
  if (!query && !body) return noop;
  return (req, _res, next) => {
    const state = stateOf(req);
    const errors: FieldErrors = {};
    if (query) {
      const parsed = schemaOf(query, req).safeParse(req.query);
      if (parsed.success) state.query = parsed.data;
      else Object.assign(errors, fieldErrors(parsed.error));
    }
    if (body) {
      const sent: unknown = mode === "webhook" ? webhookJson(state.rawBody) : (req.body ?? {});
      if (mode !== "page" && !isPlainObject(sent)) {
        errors.form = "Send a JSON object.";
      } else {
        const parsed = schemaOf(body, req).safeParse(sent);
        if (parsed.success) state.body = parsed.data;
        else Object.assign(errors, fieldErrors(parsed.error));
      }
    }
    if (Object.keys(errors).length === 0) return next();
    // A page without a form to show them on says what is wrong in the error page's message.
    const listed = mode === "page" || mode === "public";
    const message = listed
      ? [endpoint.invalidMessage, ...Object.values(errors)].filter(Boolean).join(" ")
      : endpoint.invalidMessage;
    next(AppError.validation(errors, message));
  };
}

function callOf(
  req: Request,
  res: Response,
  deps: Deps,
): Call<AuthMode, unknown, unknown, unknown, unknown, unknown> {
  const state = stateOf(req);
  return {
    req,
    res,
    deps,
    ctx: req.ctx,
    params: state.params,
    query: state.query,
    body: state.body,
    record: state.record,
    rawBody: state.rawBody as undefined,
  };
}

/** Runs the handler and sends what it hands back: a redirect (with a flash) or a JSON reply. */
export function runStep(endpoint: Endpoint, deps: Deps): RequestHandler {
  return async (req, res) => {
    const state = stateOf(req);
    state.stage = "handler";
    const outcome = await endpoint.handler(callOf(req, res, deps));
    if (!isOutcome(outcome) || res.headersSent) return;
    if (outcome.kind === "redirect") {
      // Public and webhook endpoints have no session to keep a flash in.
      if (outcome.flash && !req.session) throw new Error("A flash needs a session (page mode)");
      if (outcome.flash) flash(req, outcome.flash.type, outcome.flash.message);
      res.redirect(outcome.status, outcome.to);
      return;
    }
    if (outcome.location) res.location(outcome.location);
    res
      .status(outcome.status)
      .json(envelope(outcome.data, outcome.message, outcome.status, outcome.nextCursor));
  };
}

const formErrorIds = ["validation_failed", "conflict", "plan_limit"] as const;

/** The field errors an AppError carries: its fields, its one named field, or the form's. */
export function formErrorsOf(error: AppError): FieldErrors {
  const fields = error.details?.fields;
  if (isPlainObject(fields)) {
    const errors: FieldErrors = {};
    for (const [key, value] of Object.entries(fields)) errors[key] = String(value);
    return errors;
  }
  const field = typeof error.details?.field === "string" ? error.details.field : "form";
  return { [field]: error.message };
}

/** What the person typed, to put back in the form; never a password or the CSRF token. */
function typedValues(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (!isPlainObject(body)) return {};
  return Object.fromEntries(
    Object.entries(body).filter(([key]) => key !== "_csrf" && !/password/i.test(key)),
  );
}

/**
 * The form-action helper: a validation, conflict or plan error raised while reading the input or
 * running the handler comes back on the form (every field's error, the typed values, the error's
 * status), or as a flash on the page the form sits in. Other errors go to the error page.
 */
export function formStep(endpoint: Endpoint, deps: Deps): ErrorRequestHandler {
  const form = endpoint.form;
  return async (error: unknown, req: Request, res: Response, next: NextFunction) => {
    const state = states.get(req);
    const shows: readonly string[] = form?.shows ?? formErrorIds;
    if (!form || !state || state.stage === "gates" || res.headersSent) return next(error);
    if (!isAppError(error) || !shows.includes(error.id)) return next(error);
    const failure: FormFailure = {
      values: typedValues(req),
      errors: formErrorsOf(error),
      status: error.status,
      error,
    };
    const { query: _query, body: _body, ...call } = callOf(req, res, deps);
    const formCall: FormCall<AuthMode, unknown, unknown, unknown> = call;
    try {
      if ("render" in form) {
        await form.render(formCall, failure);
        return;
      }
      const message = form.message?.(failure) ?? Object.values(failure.errors)[0] ?? error.message;
      flash(req, "danger", message);
      res.redirect(form.back(formCall, failure));
    } catch (renderError) {
      next(renderError);
    }
  };
}

/** An upload refused before its handler took it (bad fields) leaves no file behind. */
export function discardUploadStep(): ErrorRequestHandler {
  return async (error: unknown, req: Request, _res: Response, next: NextFunction) => {
    const state = states.get(req);
    const path = req.file?.path;
    if (path && state?.stage === "input") await rm(path, { force: true }).catch(() => undefined);
    next(error);
  };
}

export { rateLimitStep };
