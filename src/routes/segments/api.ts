import { Router, type Request, type Response } from "express";
import type { Deps } from "../../deps";
import {
  deleteSegment,
  saveSegment,
  segmentFilter,
  segmentsOf,
  updateSegment,
} from "../../commands/customers/segments";
import { requireApiUser } from "../../middleware/bearerAuth";
import { requireFeature } from "../../plans/planGate";
import { presentSegment } from "../../presenters/segment";
import { authorize, requireBusiness, tenantOf } from "../../tenancy/context";
import { findInBusiness } from "../../tenancy/scope";
import { customerPage, envelope } from "../customers/api";
import {
  apiPageSchema,
  bodyObject,
  segmentCreateSchema,
  segmentUpdateSchema,
  validated,
} from "../customers/apiSchema";

const segmentsInPlan = requireFeature("segments");

/**
 * The plan gate, awaited inside a handler: for routes with an id it runs after the segment is
 * found, so another business's id is a 404 whatever this business's plan.
 */
function assertSegmentsInPlan(req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) =>
    segmentsInPlan(req, res, (error?: unknown) => (error ? reject(error) : resolve())),
  );
}

/** /api/v1/segments: saved customer filters, and the customers each one matches. */
export function segmentsApi(deps: Deps): Router {
  const router = Router();
  router.use("/segments", requireApiUser, requireBusiness);

  const segmentOf = async (req: Request, res: Response) => {
    const segment = await findInBusiness(tenantOf(req), deps.models.Segment, req.params.segmentId);
    await assertSegmentsInPlan(req, res);
    return segment;
  };

  router.get("/segments", segmentsInPlan, async (req, res) => {
    const segments = await segmentsOf(deps, tenantOf(req));
    res.json(envelope({ items: segments.map(presentSegment) }, "Segments."));
  });

  router.post("/segments", segmentsInPlan, async (req, res) => {
    const ctx = tenantOf(req);
    authorize(ctx, "customers.view");
    const input = validated(segmentCreateSchema, bodyObject(req));
    const segment = await saveSegment(deps, ctx, input);
    res.status(201).location(`/api/v1/segments/${segment.id}`);
    res.json(envelope(presentSegment(segment), "Segment saved.", 201));
  });

  router.get("/segments/:segmentId", async (req, res) => {
    const ctx = tenantOf(req);
    const segment = await segmentOf(req, res);
    authorize(ctx, "customers.view");
    res.json(envelope(presentSegment(segment), "Segment."));
  });

  router.patch("/segments/:segmentId", async (req, res) => {
    const ctx = tenantOf(req);
    const segment = await segmentOf(req, res);
    authorize(ctx, "customers.manage");
    const input = validated(segmentUpdateSchema, bodyObject(req));
    await updateSegment(deps, ctx, segment, input);
    res.json(envelope(presentSegment(segment), "Segment updated."));
  });

  router.delete("/segments/:segmentId", async (req, res) => {
    const ctx = tenantOf(req);
    const segment = await segmentOf(req, res);
    await deleteSegment(deps, ctx, segment);
    res.json(envelope({ id: segment.id }, "Segment deleted."));
  });

  router.get("/segments/:segmentId/customers", async (req, res) => {
    const ctx = tenantOf(req);
    const segment = await segmentOf(req, res);
    const page = validated(apiPageSchema, req.query);
    authorize(ctx, "customers.view");
    // A member limited to their own customers sees only those in any segment (filterWhere).
    const data = await customerPage(deps, ctx, segmentFilter(segment), page);
    res.json(envelope(data, `Customers in ${segment.name}.`));
  });

  return router;
}
