import express, { Router } from "express";
import { notFound } from "../../middleware/errorHandler";

/**
 * /api/v1: JSON in, the envelope of DESIGN.md out. Bearer-token auth arrives with the accounts
 * work; no cookie is ever read here, which is why this router needs no CSRF token.
 */
export function apiRouter(): Router {
  const router = Router();
  router.use(express.json({ limit: "1mb" }));
  router.get("/", (_req, res) => {
    res.json({ statusCode: 200, data: { version: "v1" }, message: "CRM API" });
  });
  router.use(notFound);
  return router;
}
