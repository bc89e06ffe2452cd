import { createHmac, timingSafeEqual } from "node:crypto";
import type { Deps } from "../../src/deps";
import { InProcessQueue } from "../../src/jobs/inProcessQueue";
import { FakeClock } from "../../src/lib/clock";
import { createLogger } from "../../src/logger";
import type { Business, User, WebhookDelivery } from "../../src/models";
import type { TenantContext } from "../../src/tenancy/context";
import { attemptDelivery } from "../../src/webhooks/deliver";
import { buildBusiness, buildUser } from "../factories";
import { testConfig } from "./config";
import type { TestDatabase } from "./database";
import { contextFor, systemContextFor, testDeps } from "./deps";
import type { ReceivedHook } from "./webhookReceiver";

/**
 * Webhook tests against a receiver on 127.0.0.1 (WEBHOOKS_ALLOW_PRIVATE_HOSTS on, as tests
 * need), on a fake clock: each attempt is the job's own work (attemptDelivery), run when the
 * test says.
 */
export function webhookWorld(
  db: TestDatabase,
  overrides: Record<string, string> = {},
  start = "2030-05-01T08:00:00Z",
) {
  const clock = new FakeClock(start);
  const queue = new InProcessQueue(createLogger("silent"), clock);
  const deps: Deps = {
    ...testDeps(db, { queue, clock }),
    config: testConfig({ WEBHOOKS_ALLOW_PRIVATE_HOSTS: "true", ...overrides }),
  };
  return { deps, clock, queue };
}

/** A business on the enterprise plan (the one with webhooks), its owner and their context. */
export async function enterpriseBusiness(
  db: TestDatabase,
  deps: Deps,
): Promise<{ owner: User; business: Business; ctx: TenantContext }> {
  const owner = await buildUser(deps.models, { planCode: "enterprise" });
  const { business } = await buildBusiness(deps.models, { owner });
  return { owner, business, ctx: await contextFor(db, business, owner) };
}

/**
 * A receiver written from README "Outbound webhooks" alone: HMAC-SHA256 with the endpoint's
 * secret over `${Webhook-Timestamp}.${raw body}`, hex, compared in constant time with each `v1=`
 * value of Webhook-Signature; timestamps more than 5 minutes from its clock refused.
 */
export function verifiedByReceiver(
  hook: ReceivedHook,
  secret: string,
  nowSeconds: number,
): boolean {
  const timestamp = String(hook.headers["webhook-timestamp"]);
  if (Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const expected = createHmac("sha256", secret).update(`${timestamp}.${hook.body}`).digest();
  return String(hook.headers["webhook-signature"])
    .split(" ")
    .filter((part) => part.startsWith("v1="))
    .some((part) => {
      const given = Buffer.from(part.slice(3), "hex");
      return given.length === expected.length && timingSafeEqual(given, expected);
    });
}

/** A business's deliveries, oldest first. */
export async function deliveriesOf(deps: Deps, business: Business): Promise<WebhookDelivery[]> {
  return deps.models.WebhookDelivery.findAll({
    where: { businessId: business.id },
    order: [["id", "ASC"]],
  });
}

/** Runs the job of a delivery's current attempt, as its worker would. */
export async function runAttempt(
  db: TestDatabase,
  deps: Deps,
  business: Business,
  delivery: WebhookDelivery,
): Promise<void> {
  await delivery.reload();
  const ctx = await systemContextFor(db, business);
  await attemptDelivery(deps, ctx, {
    businessId: business.id,
    userId: null,
    deliveryId: delivery.id,
    attempts: delivery.attempts,
    epoch: delivery.leaseEpoch,
  });
  await delivery.reload();
}
