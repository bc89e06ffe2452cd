import express, { Router } from "express";
import type { Deps } from "../../deps";
import { bearerAuth } from "../../middleware/bearerAuth";
import { notFound } from "../../middleware/errorHandler";
import { apiRouters } from "..";

/**
 * /api/v1: JSON in, the envelope of DESIGN.md out. Authentication is by Bearer token only; no
 * cookie is ever read here, which is why this router needs no CSRF token.
 */
export function apiRouter(deps: Deps): Router {
  const router = Router();
  router.use(express.json({ limit: "1mb" }));
  router.use(bearerAuth(deps));
  router.get("/", (_req, res) => {
    res.json({ statusCode: 200, data: { version: "v1" }, message: "CRM API" });
  });
  for (const build of apiRouters) router.use(build(deps));
  router.use(notFound);
  return router;
}
