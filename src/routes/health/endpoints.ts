import type { Deps } from "../../deps";
import { routes, type Endpoint } from "../../http/endpoint";

async function check(probe: () => Promise<unknown>): Promise<"ok" | string> {
  try {
    await probe();
    return "ok";
  } catch (error) {
    return error instanceof Error ? error.message : "failed";
  }
}

/** Can this process serve: the database answers, Redis too when jobs run on it, not stopping. */
async function readiness(deps: Pick<Deps, "sequelize" | "queue" | "lifecycle">) {
  const checks: Record<string, string> = {
    database: await check(() => deps.sequelize.query("SELECT 1")),
  };
  if (deps.queue.driver === "bullmq") checks.redis = await check(() => deps.queue.ping());
  if (deps.lifecycle.shuttingDown) checks.process = "shutting down";
  return { ready: Object.values(checks).every((value) => value === "ok"), checks };
}

const publicEndpoint = routes({ auth: "public" });

/**
 * /healthz: the process answers. /readyz: it can serve. Public mode: no session is read or made
 * for a probe. No rate limit: a probe refused (or failing because Redis is down) would take the
 * process out of service, and neither endpoint does anything a visitor could abuse.
 */
export const healthEndpoints: Endpoint[] = [
  publicEndpoint.get("/healthz", "anyone", {
    rateLimit: false,
    responds: "json",
    handler: ({ res }) => {
      res.json({ status: "ok" });
    },
  }),
  publicEndpoint.get("/readyz", "anyone", {
    rateLimit: false,
    responds: "json",
    handler: async ({ res, deps }) => {
      const { ready, checks } = await readiness(deps);
      res.status(ready ? 200 : 503).json({ status: ready ? "ok" : "unavailable", checks });
    },
  }),
];
