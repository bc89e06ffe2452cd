import { defineJob } from "../../src/jobs/define";

/** The mail queue: one e-mail per job, retried with backoff (see the catalog). */
export const mailJobs = [defineJob("send-mail", (deps, mail) => deps.mailer.send(mail))];
