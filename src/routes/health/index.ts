import { Router } from "express";
import type { Sequelize } from "sequelize";
import type { JobQueue } from "../../jobs/queue";

export interface HealthDeps {
  sequelize: Sequelize;
  queue: JobQueue;
  lifecycle: { shuttingDown: boolean };
}

async function check(probe: () => Promise<unknown>): Promise<"ok" | string> {
  try {
    await probe();
    return "ok";
  } catch (error) {
    return error instanceof Error ? error.message : "failed";
  }
}

/** /healthz: the process answers. /readyz: it can serve (database, and Redis when used). */
export function healthRouter(deps: HealthDeps): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const checks: Record<string, string> = {
      database: await check(() => deps.sequelize.query("SELECT 1")),
    };
    if (deps.queue.driver === "bullmq") checks.redis = await check(() => deps.queue.ping());
    if (deps.lifecycle.shuttingDown) checks.process = "shutting down";
    const ready = Object.values(checks).every((value) => value === "ok");
    res.status(ready ? 200 : 503).json({ status: ready ? "ok" : "unavailable", checks });
  });
  return router;
}
