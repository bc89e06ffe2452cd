import type { Config } from "../config";
import type { Clock } from "../lib/clock";
import { servingRequests } from "../lib/requestTiming";
import type { Logger } from "../logger";
import { BullmqQueue } from "./bullmqQueue";
import { InProcessQueue } from "./inProcessQueue";
import type { JobQueue } from "./queue";

/** BullMQ when REDIS_URL is set, in-process otherwise. */
export function createQueue(
  config: Pick<Config, "REDIS_URL" | "QUEUE_PREFIX">,
  logger: Logger,
  clock: Clock,
): JobQueue {
  const queueLogger = logger.child({ component: "jobs" });
  return config.REDIS_URL
    ? new BullmqQueue({
        redisUrl: config.REDIS_URL,
        prefix: config.QUEUE_PREFIX,
        logger: queueLogger,
        clock,
      })
    : new InProcessQueue(queueLogger, clock, servingRequests);
}
