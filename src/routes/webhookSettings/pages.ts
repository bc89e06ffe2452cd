import type { Request, Response } from "express";
import { AppError } from "../../errors";
import type { FormFailure, LoadCall, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { csrfToken } from "../../middleware/csrf";
import type { WebhookDelivery, WebhookEndpoint } from "../../models";
import { eventChoices, presentDelivery, presentEndpoint } from "../../presenters/webhooks";
import type { TenantContext } from "../../tenancy/context";
import { parseEventList } from "../../webhooks/events";
import {
  createEndpoint,
  deleteEndpoint,
  disableEndpointByHand,
  enableEndpoint,
  replayDelivery,
  rotateSecret,
  updateEndpoint,
} from "../../webhooks/manage";
import { deliveryLog, findDelivery, findEndpoint, listEndpoints } from "../../webhooks/queries";
import { toleranceSeconds } from "../../webhooks/signing";
import type {
  confirmedSchema,
  deliveryParams,
  endpointFormSchema,
  endpointParams,
  logQuery,
} from "./schema";

/** What the path names: the endpoint, and on replay pages one of its deliveries. */
export interface Loaded {
  endpoint: WebhookEndpoint;
  delivery: WebhookDelivery | null;
}

type OneEndpoint = { params: typeof endpointParams; record: Loaded };
const logSize = 50;
const base = "/settings/webhooks";

export async function loadEndpoint({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { endpointId: number }>): Promise<Loaded> {
  return { endpoint: await findEndpoint(deps, ctx, params.endpointId), delivery: null };
}

export async function loadDelivery({
  deps,
  ctx,
  params,
}: LoadCall<TenantContext, { endpointId: number; deliveryId: number }>): Promise<Loaded> {
  const endpoint = await findEndpoint(deps, ctx, params.endpointId);
  return { endpoint, delivery: await findDelivery(deps, ctx, endpoint, params.deliveryId) };
}

/** GET /settings/webhooks */
export async function showList({ req, res, deps, ctx }: PageCall) {
  const endpoints = await listEndpoints(deps, ctx);
  res.render("webhooks/index", {
    title: "Webhooks",
    csrfToken: csrfToken(req),
    endpoints: endpoints.map((e) => presentEndpoint(e, ctx.business.timeZone)),
  });
}

interface FormState {
  endpoint?: WebhookEndpoint;
  values: { url?: string; description?: string; events: string[] };
  errors?: Record<string, string>;
  status?: number;
}

function renderForm(req: Request, res: Response, state: FormState) {
  const { endpoint } = state;
  res.status(state.status ?? 200).render("webhooks/form", {
    title: endpoint ? "Edit webhook endpoint" : "Add a webhook endpoint",
    heading: endpoint ? "Edit endpoint" : "Add an endpoint",
    action: endpoint ? `${base}/${endpoint.id}` : base,
    cancelUrl: endpoint ? `${base}/${endpoint.id}` : base,
    csrfToken: csrfToken(req),
    values: state.values,
    errors: state.errors ?? {},
    events: eventChoices(state.values.events),
  });
}

/** GET /settings/webhooks/new */
export function showNew({ req, res }: PageCall) {
  renderForm(req, res, { values: { events: ["customer.created"] } });
}

/** GET /settings/webhooks/:endpointId/edit */
export function showEdit({ req, res, record }: PageCall<OneEndpoint>) {
  const { endpoint } = record;
  renderForm(req, res, {
    endpoint,
    values: {
      url: endpoint.url,
      description: endpoint.description ?? "",
      events: parseEventList(endpoint.events),
    },
  });
}

/** A form that did not save comes back as typed, the errors beside the fields. */
export function renderFailure(
  { req, res, record }: PageFormCall<{ record: Loaded | undefined }>,
  failure: FormFailure,
) {
  const values = failure.values as { url?: string; description?: string; events?: unknown };
  const events = Array.isArray(values.events)
    ? values.events.map(String)
    : typeof values.events === "string"
      ? [values.events]
      : [];
  renderForm(req, res, {
    endpoint: record?.endpoint,
    values: { url: values.url, description: values.description, events },
    errors: failure.errors,
    status: failure.status,
  });
}

type FormBody = { body: typeof endpointFormSchema };

/** POST /settings/webhooks */
export async function create({ deps, ctx, body }: PageCall<FormBody>) {
  const endpoint = await createEndpoint(deps, ctx, body);
  return redirect(
    `${base}/${endpoint.id}`,
    "Endpoint added. Copy its signing secret into your receiver to verify the payloads.",
  );
}

/** POST /settings/webhooks/:endpointId */
export async function update({ deps, ctx, body, record }: PageCall<OneEndpoint & FormBody>) {
  await updateEndpoint(deps, ctx, record.endpoint, body);
  return redirect(`${base}/${record.endpoint.id}`, "Endpoint saved.");
}

/** GET /settings/webhooks/:endpointId: its settings, secret and delivery log. */
export async function show({
  req,
  res,
  deps,
  ctx,
  query,
  record,
}: PageCall<OneEndpoint & { query: typeof logQuery }>) {
  const { endpoint } = record;
  const timeZone = ctx.business.timeZone;
  const log = await deliveryLog(deps, ctx, endpoint, { limit: logSize, beforeId: query.before });
  res.render("webhooks/show", {
    title: `Webhook: ${presentEndpoint(endpoint, timeZone).host}`,
    csrfToken: csrfToken(req),
    endpoint: presentEndpoint(endpoint, timeZone, { withSecret: true }),
    deliveries: log.rows.map((row) =>
      presentDelivery(row.delivery, { type: row.eventType, publicId: row.eventId }, timeZone),
    ),
    olderLink: log.olderId ? `${base}/${endpoint.id}?before=${log.olderId}` : null,
    newestLink: query.before ? `${base}/${endpoint.id}` : null,
    toleranceMinutes: toleranceSeconds / 60,
  });
}

/** POST …/enable */
export async function enable({ deps, ctx, record }: PageCall<OneEndpoint>) {
  await enableEndpoint(deps, ctx, record.endpoint);
  return redirect(`${base}/${record.endpoint.id}`, "Endpoint enabled.");
}

/** POST …/disable */
export async function disable({ deps, ctx, record }: PageCall<OneEndpoint>) {
  await disableEndpointByHand(deps, ctx, record.endpoint);
  return redirect(`${base}/${record.endpoint.id}`, "Endpoint disabled. Nothing is sent to it.");
}

type Confirmed = { body: typeof confirmedSchema };

/** POST …/delete (from its confirmation page) */
export async function remove({ deps, ctx, record }: PageCall<OneEndpoint & Confirmed>) {
  await deleteEndpoint(deps, ctx, record.endpoint);
  return redirect(base, `Deleted the endpoint ${record.endpoint.url}.`);
}

/** POST …/rotate (from its confirmation page) */
export async function rotate({ deps, ctx, record }: PageCall<OneEndpoint & Confirmed>) {
  await rotateSecret(deps, ctx, record.endpoint);
  return redirect(
    `${base}/${record.endpoint.id}`,
    "New signing secret made. The old one keeps signing beside it for 24 hours: put the new one in your receiver before then.",
  );
}

/** POST …/deliveries/:deliveryId/replay (from its confirmation page) */
export async function replay({
  deps,
  ctx,
  record,
}: PageCall<{ params: typeof deliveryParams; record: Loaded } & Confirmed>) {
  if (!record.delivery) throw AppError.notFound();
  await replayDelivery(deps, ctx, record.endpoint, record.delivery);
  return redirect(
    `${base}/${record.endpoint.id}`,
    "Replay queued: it appears at the top of the log.",
  );
}

const confirmations = {
  delete: {
    title: "Delete this endpoint?",
    text: "Its delivery log goes with it, and nothing more is sent to it. This cannot be undone.",
    button: "Delete endpoint",
    tone: "danger",
    path: "delete",
  },
  rotate: {
    title: "Make a new signing secret?",
    text: "Deliveries are signed with both the current and the new secret for 24 hours, then with the new one only: put it in your receiver within that day.",
    button: "Make a new secret",
    tone: "warning",
    path: "rotate",
  },
  replay: {
    title: "Send this event again?",
    text: "The endpoint receives the same event, with the same Webhook-Id, as a new delivery.",
    button: "Replay",
    tone: "primary",
    path: "replay",
  },
} as const;

/** GET …/delete, …/rotate, …/replay: what the action does, and the button that does it. */
export function confirmPage(kind: keyof typeof confirmations) {
  return ({ req, res, ctx, record }: PageCall<{ record: Loaded }>) => {
    const spec = confirmations[kind];
    const { endpoint, delivery } = record;
    const back = `${base}/${endpoint.id}`;
    res.render("webhooks/confirm", {
      csrfToken: csrfToken(req),
      ...spec,
      action: delivery ? `${back}/deliveries/${delivery.id}/replay` : `${back}/${spec.path}`,
      back,
      endpoint: presentEndpoint(endpoint, ctx.business.timeZone),
    });
  };
}
