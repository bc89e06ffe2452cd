import { sendPasswordResetTo } from "../../src/commands/passwords";
import { sendActivationAgainTo } from "../../src/commands/registration";
import { defineJob } from "../../src/jobs/define";

/**
 * The mail queue: one e-mail per job, retried with backoff (see the catalog); and the account
 * mails asked for on public forms, whose address is looked up here rather than in the request.
 */
export const mailJobs = [
  defineJob("send-mail", (deps, mail) => deps.mailer.send(mail)),
  defineJob("send-password-reset", (deps, { email }) => sendPasswordResetTo(deps, email)),
  defineJob("send-activation-again", (deps, { email }) => sendActivationAgainTo(deps, email)),
];
