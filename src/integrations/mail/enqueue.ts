import type { JobQueue } from "../../jobs/queue";
import type { Tasks } from "../../jobs/tasks";
import type { OutgoingMail } from "./types";

/** Queues an e-mail; call it after the transaction that caused it has committed. */
export async function enqueueMail(
  deps: { queue: JobQueue; tasks: Tasks },
  mail: OutgoingMail,
): Promise<void> {
  await deps.queue.enqueue(deps.tasks.sendMail, mail);
}
