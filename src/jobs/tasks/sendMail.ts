import type { OutgoingMail } from "../../integrations/mail/types";
import type { TaskDefinition } from "../queue";
import type { TaskDeps } from "./deps";

/** Sends one e-mail; a failure is retried with backoff (SMTP servers have bad minutes). */
export function sendMailTask(deps: TaskDeps): TaskDefinition<OutgoingMail> {
  return {
    queue: "mail",
    name: "send-mail",
    retry: { attempts: 5, backoffMs: 5000 },
    async perform(mail) {
      await deps.mailer.send(mail);
    },
  };
}
