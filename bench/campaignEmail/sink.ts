/**
 * The SMTP sink of bench/campaignEmail.ts in its own process, so its parsing does not share the
 * sender's event loop. Tells its parent the URL, and answers "count" with the messages accepted.
 */
import { startSmtpSink } from "../../test/standins/smtpSink";

async function main() {
  const sink = await startSmtpSink({ keepRaw: false });
  process.on("message", (message) => {
    if (message === "count") process.send?.({ accepted: sink.accepted() });
    if (message === "stop") void sink.close().then(() => process.exit(0));
  });
  process.send?.({ url: sink.url });
}

void main();
