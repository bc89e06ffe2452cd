import { Op } from "sequelize";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import type { WebhookDelivery, WebhookEndpoint } from "../models";
import { authorize, type TenantContext } from "../tenancy/context";
import { findInBusiness, tenantWhere } from "../tenancy/scope";

/** What the webhook settings pages read: endpoints, one delivery, the delivery log. */

/** The business's endpoints, oldest first. */
export async function listEndpoints(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
): Promise<WebhookEndpoint[]> {
  authorize(ctx, "webhooks.manage");
  return deps.models.WebhookEndpoint.findAll({
    where: tenantWhere(ctx, deps.models.WebhookEndpoint),
    order: [["id", "ASC"]],
  });
}

/** The endpoint an id names in the business (404 elsewhere). */
export function findEndpoint(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  endpointId: number,
): Promise<WebhookEndpoint> {
  return findInBusiness(ctx, deps.models.WebhookEndpoint, endpointId);
}

/** One of an endpoint's deliveries (404 when it belongs to another endpoint or business). */
export async function findDelivery(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  endpoint: WebhookEndpoint,
  deliveryId: number,
): Promise<WebhookDelivery> {
  const delivery = await deps.models.WebhookDelivery.findOne({
    where: tenantWhere(ctx, deps.models.WebhookDelivery, {
      id: deliveryId,
      endpointId: endpoint.id,
    }),
  });
  if (!delivery) throw AppError.notFound();
  return delivery;
}

export interface LoggedDelivery {
  delivery: WebhookDelivery;
  eventType: string;
  eventId: string;
}

/** An endpoint's deliveries, newest first, `limit` at a time (older ones before `beforeId`). */
export async function deliveryLog(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  endpoint: WebhookEndpoint,
  options: { limit: number; beforeId?: number },
): Promise<{ rows: LoggedDelivery[]; olderId: number | null }> {
  authorize(ctx, "webhooks.manage");
  const { models } = deps;
  const deliveries = await models.WebhookDelivery.findAll({
    where: tenantWhere(ctx, models.WebhookDelivery, {
      endpointId: endpoint.id,
      ...(options.beforeId ? { id: { [Op.lt]: options.beforeId } } : {}),
    }),
    order: [["id", "DESC"]],
    limit: options.limit + 1,
  });
  const page = deliveries.slice(0, options.limit);
  const events = await models.WebhookEvent.findAll({
    where: tenantWhere(ctx, models.WebhookEvent, {
      id: { [Op.in]: [...new Set(page.map((d) => d.eventId))] },
    }),
    attributes: ["id", "publicId", "type"],
  });
  const byId = new Map(events.map((e) => [e.id, e]));
  return {
    rows: page.map((delivery) => ({
      delivery,
      eventType: byId.get(delivery.eventId)?.type ?? "",
      eventId: byId.get(delivery.eventId)?.publicId ?? "",
    })),
    olderId: deliveries.length > options.limit ? (page[page.length - 1]?.id ?? null) : null,
  };
}
