import { main } from "../src/server";

/** `npm run worker`: a process that only runs jobs (BullMQ; needs REDIS_URL). */
main("worker").catch((err: unknown) => {
  process.stderr.write(
    `Worker failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
