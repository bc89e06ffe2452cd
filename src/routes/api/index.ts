import express, { Router } from "express";
import type { Deps } from "../../deps";
import type { Endpoint } from "../../http/endpoint";
import { endpointRouter } from "../../http/mount";
import { bearerAuth } from "../../middleware/bearerAuth";
import { notFound } from "../../middleware/errorHandler";

/**
 * /api/v1: JSON in, the envelope of DESIGN.md out. Authentication is by Bearer token only; no
 * cookie is ever read here, which is why this router needs no CSRF token. Mounted before the
 * session middleware.
 */
export function apiRouter(deps: Deps, endpoints: readonly Endpoint[]): Router {
  const router = Router();
  router.use(express.json({ limit: "1mb" }));
  router.use(bearerAuth(deps));
  router.use(endpointRouter(deps, endpoints, "api"));
  router.use(notFound);
  return router;
}
