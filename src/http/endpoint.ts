import type { Request, Response } from "express";
import type { z } from "zod";
import type { Config } from "../config";
import type { Deps } from "../deps";
import type { AppError, ErrorId } from "../errors";
import type { FieldErrors } from "../lib/forms";
import type { RateRule } from "../lib/rateLimits";
import type { FeatureName } from "../plans/features";
import type { Action } from "../policies/permissions";
import type { RequestContext, TenantContext } from "../tenancy/context";
import type { ResponseSpec } from "./apiResponse";
import type { Outcome } from "./outcomes";

/**
 * An endpoint declared as data: how it is reached, who may call it, what it accepts, and the
 * handler. Tables of these (routes/<resource>/endpoints.ts) are mounted by http/mount.ts, which
 * refuses an entry without a permission — the safe path is the only one that builds.
 */
export const authModes = ["page", "api", "public", "webhook"] as const;
/**
 * page: browser session, CSRF, signed-in context. api: Bearer token only, JSON. public: no session
 * at all, no CSRF, a per-IP limit (forms on customers' sites). webhook: no session, the raw body
 * for signature checks, its own limit (providers calling us).
 */
export type AuthMode = (typeof authModes)[number];

/** Endpoints no permission of the table governs say so explicitly. */
export const accessMarkers = [
  /** Nobody needs to be signed in (sign-in and sign-up pages, public forms, webhooks). */
  "anyone",
  /** A signed-in person, with or without a business (account pages). */
  "signed-in",
  /** A signed-in member of the current business, whatever their role. */
  "member",
  /** The operator of the platform; everyone else gets 404. */
  "platform-admin",
] as const;
export type AccessMarker = (typeof accessMarkers)[number];
export type Permission = Action | AccessMarker;

/** The context a handler can count on, from its permission. */
export type ContextFor<A extends Permission> = A extends "anyone"
  ? RequestContext | undefined
  : A extends "signed-in" | "platform-admin"
    ? RequestContext
    : TenantContext;

export const httpMethods = ["get", "post", "put", "patch", "delete"] as const;
export type HttpMethod = (typeof httpMethods)[number];

/** What a schema gives the handler; an endpoint without that schema gets an empty object. */
export type Parsed<S> = S extends z.ZodType ? z.output<S> : Record<never, never>;

/** Everything a handler receives: the request's typed input, its context and the services. */
export interface Call<M extends AuthMode, Ctx, P, Q, B, R> {
  req: Request;
  res: Response;
  deps: Deps;
  ctx: Ctx;
  params: P;
  query: Q;
  body: B;
  /** What `load` found (the record the path names), checked against the tenant. */
  record: R;
  /** Webhooks only: the request body exactly as received, for signature checks. */
  rawBody: M extends "webhook" ? Buffer : undefined;
}

/** What a loader gets: the path's parameters, already valid, and the caller's context. */
export interface LoadCall<Ctx, P> {
  req: Request;
  deps: Deps;
  ctx: Ctx;
  params: P;
}

/** A form that failed: what was typed, every field's error, and the status to answer with. */
export interface FormFailure {
  values: Record<string, unknown>;
  errors: FieldErrors;
  status: number;
  error: AppError;
}

/** The call a failed form is rendered with: everything but the (invalid) input. */
export type FormCall<M extends AuthMode, Ctx, P, R> = Omit<
  Call<M, Ctx, P, unknown, unknown, R>,
  "query" | "body"
>;

/**
 * How a form action answers a validation, conflict or plan error: render the form again with
 * every field's error and the values typed, or (forms embedded in another page) flash the error
 * and go back to that page.
 */
export type FormSpec<M extends AuthMode, Ctx, P, R> = {
  /** Error ids shown on the form; others go to the error page. */
  shows?: readonly ErrorId[];
} & (
  | { render: (call: FormCall<M, Ctx, P, R>, failure: FormFailure) => Promise<void> | void }
  | {
      back: (call: FormCall<M, Ctx, P, R>, failure: FormFailure) => string;
      /** The flash text; the first field error (or the error's message) by default. */
      message?: (failure: FormFailure) => string;
    }
);

/**
 * A schema that depends on who asks (the business's country, the person's own details) or on the
 * loaded record (a partial update checked as the whole record). Annotate its parameters.
 */
export type SchemaFor<Ctx, R, S> = (ctx: Ctx, record: R) => S;

export type Handler<M extends AuthMode, Ctx, P, Q, B, R> = (
  call: Call<M, Ctx, P, Q, B, R>,
) => Promise<Outcome | void> | Outcome | void;

/** A multipart body is read before validation (files go to disk or memory, fields to req.body). */
export type UploadStep = (deps: Deps) => (req: Request, res: Response) => Promise<void>;

/** Checks a webhook's signature on the raw bytes before anything parses them. */
export type Verifier = (call: {
  req: Request;
  deps: Deps;
  rawBody: Buffer;
}) => boolean | Promise<boolean>;

export interface EndpointSpec<
  M extends AuthMode,
  A extends Permission,
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R,
> {
  method: HttpMethod;
  /** The full path, as a browser or client requests it (API paths start with /api/v1). */
  path: string;
  auth: M;
  /** A plan feature the current business's plan must include (through the one plan gate). */
  feature?: FeatureName;
  permission: A;
  params?: P;
  /** A schema, or one built from the caller's context or the loaded record. */
  query?: Q | SchemaFor<ContextFor<A>, R, Q>;
  body?: B | SchemaFor<ContextFor<A>, R, B>;
  /** Loads the record the path names, scoped to the tenant (404 otherwise). Runs before the gates. */
  load?: (call: LoadCall<ContextFor<A>, Parsed<P>>) => Promise<R>;
  /** Reads a multipart body before the body schema checks its fields. */
  upload?: UploadStep;
  /** Page forms: how validation, conflict and plan errors come back to the person. */
  form?: FormSpec<M, ContextFor<A>, Parsed<P>, R>;
  /** Webhooks: the signature check (required for any webhook that takes a body). */
  verify?: Verifier;
  /** Per-IP limit; public and webhook endpoints get their mode's default, `false` opts out. */
  rateLimit?: RateRule | false;
  /** Leads the 422 message (on pages: before every field's error). */
  invalidMessage?: string;
  /** How errors are answered; JSON for api and webhook, pages otherwise. */
  responds?: "json" | "html";
  /** Mounted only when true for this process's settings (e.g. Google sign-in configured). */
  enabledWhen?: (config: Config) => boolean;
  /**
   * API endpoints: what success answers, with an example (http/apiResponse.ts: responds,
   * respondsList, respondsFile). Required under /api/v1: the OpenAPI document is built from it.
   */
  response?: ResponseSpec;
  /** API endpoints: the OpenAPI operation's one-line summary. */
  summary?: string;
  /**
   * For the OpenAPI document only: the request's shape when `query` or `body` is built per caller
   * (a function) or hides its fields behind a transform.
   */
  documents?: { query?: z.ZodType; body?: z.ZodType };
  handler: Handler<M, ContextFor<A>, Parsed<P>, Parsed<Q>, Parsed<B>, R>;
}

/** An endpoint as the mounter sees it: the same fields, with the types erased. */
export interface Endpoint {
  readonly method: HttpMethod;
  readonly path: string;
  readonly auth: AuthMode;
  readonly feature?: FeatureName;
  readonly permission: Permission;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType | SchemaFor<unknown, unknown, z.ZodType>;
  readonly body?: z.ZodType | SchemaFor<unknown, unknown, z.ZodType>;
  readonly load?: (call: LoadCall<unknown, unknown>) => Promise<unknown>;
  readonly upload?: UploadStep;
  readonly form?: FormSpec<AuthMode, unknown, unknown, unknown>;
  readonly verify?: Verifier;
  readonly rateLimit?: RateRule | false;
  readonly invalidMessage?: string;
  readonly responds?: "json" | "html";
  readonly enabledWhen?: (config: Config) => boolean;
  readonly response?: ResponseSpec;
  readonly summary?: string;
  readonly documents?: { query?: z.ZodType; body?: z.ZodType };
  readonly handler: (call: Call<AuthMode, unknown, unknown, unknown, unknown, unknown>) => unknown;
}

/**
 * Declares one endpoint. The schemas type the handler's `params`, `query` and `body` (their
 * `z.output`), the permission types its `ctx`, and `load` types its `record`.
 */
export function endpoint<
  M extends AuthMode,
  A extends Permission,
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R = undefined,
>(spec: EndpointSpec<M, A, P, Q, B, R>): Endpoint {
  // The only place types are erased: the mounter runs each step in the order its types assume.
  return spec as unknown as Endpoint;
}

/** What a handler file names to type its call: the schemas (and loaded record) it reads. */
export interface CallInput {
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  record?: unknown;
}
type In<I, K extends keyof CallInput> = I extends { [key in K]: infer S }
  ? Parsed<S>
  : Record<never, never>;
type RecordOf<I> = I extends { record: infer R } ? R : unknown;

/** A page handler's call; `Ctx` is the tenant's unless the page is for any signed-in person. */
export type PageCall<I extends CallInput = CallInput, Ctx = TenantContext> = Call<
  "page",
  Ctx,
  In<I, "params">,
  In<I, "query">,
  In<I, "body">,
  RecordOf<I>
>;

/** An API handler's call. */
export type ApiCall<I extends CallInput = CallInput, Ctx = TenantContext> = Call<
  "api",
  Ctx,
  In<I, "params">,
  In<I, "query">,
  In<I, "body">,
  RecordOf<I>
>;

/** The call a failed page form renders with. */
export type PageFormCall<I extends CallInput = CallInput, Ctx = TenantContext> = FormCall<
  "page",
  Ctx,
  In<I, "params">,
  RecordOf<I>
>;

/** Pages for any signed-in person, in a business or not (account pages). */
export type AccountCall<I extends CallInput = CallInput> = PageCall<I, RequestContext>;
/** Pages anyone may open; `ctx` is there when the visitor is signed in. */
export type VisitorCall<I extends CallInput = CallInput> = PageCall<I, RequestContext | undefined>;

/** What an entry of a table built with `routes()` still declares after its method and path. */
export type EndpointRest<
  M extends AuthMode,
  A extends Permission,
  P extends z.ZodType | undefined,
  Q extends z.ZodType | undefined,
  B extends z.ZodType | undefined,
  R,
> = Omit<EndpointSpec<M, A, P, Q, B, R>, "method" | "path" | "auth" | "permission">;

/**
 * A resource's table, compactly: `page.get(path, permission, { ...the rest })`, the mode (and a
 * plan feature every entry shares) given once. Each entry is still a full `endpoint()`, typed
 * the same way.
 */
export function routes<M extends AuthMode>(defaults: { auth: M; feature?: FeatureName }) {
  const entry =
    (method: HttpMethod) =>
    <
      A extends Permission,
      P extends z.ZodType | undefined = undefined,
      Q extends z.ZodType | undefined = undefined,
      B extends z.ZodType | undefined = undefined,
      R = undefined,
    >(
      path: string,
      permission: A,
      rest: EndpointRest<M, A, P, Q, B, R>,
    ): Endpoint =>
      endpoint<M, A, P, Q, B, R>({
        feature: defaults.feature,
        ...rest,
        method,
        path,
        auth: defaults.auth,
        permission,
      });
  return {
    get: entry("get"),
    post: entry("post"),
    put: entry("put"),
    patch: entry("patch"),
    delete: entry("delete"),
  };
}
