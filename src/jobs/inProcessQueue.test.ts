import { createLogger } from "../logger";
import { InProcessQueue } from "./inProcessQueue";
import { describeQueueContract } from "./queue.contract";

describeQueueContract("in-process", () => new InProcessQueue(createLogger("silent")));
