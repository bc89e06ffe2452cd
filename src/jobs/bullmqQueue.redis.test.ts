import { randomUUID } from "node:crypto";
import { createLogger } from "../logger";
import { BullmqQueue } from "./bullmqQueue";
import { describeQueueContract } from "./queue.contract";

// Each queue gets its own key prefix, so runs and tests never see each other's jobs.
describeQueueContract(
  "bullmq",
  () =>
    new BullmqQueue({
      redisUrl: process.env.REDIS_URL as string,
      prefix: `crm-test-${randomUUID().slice(0, 8)}`,
      logger: createLogger("silent"),
    }),
);
