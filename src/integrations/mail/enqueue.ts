import type { Deps } from "../../deps";
import type { EnqueueOptions } from "../../jobs/queue";
import type { OutgoingMail } from "./types";

/** Queues an e-mail; call it after the transaction that caused it has committed. */
export async function enqueueMail(
  deps: Pick<Deps, "jobs">,
  mail: OutgoingMail,
  options?: EnqueueOptions,
): Promise<void> {
  await deps.jobs.dispatch("send-mail", mail, options);
}
