import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** One request a receiver got: its headers and the raw body exactly as sent. */
export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/**
 * A webhook receiver on 127.0.0.1 for tests: records every request and answers with the status
 * `answer` returns (200 by default; "hang" never answers).
 */
export interface TestReceiver {
  url: string;
  received: ReceivedHook[];
  answer: (hook: ReceivedHook) => number | "hang";
  close(): Promise<void>;
}

export async function startReceiver(): Promise<TestReceiver> {
  const receiver = { received: [] as ReceivedHook[], answer: () => 200 } as unknown as TestReceiver;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const hook = {
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      };
      receiver.received.push(hook);
      const status = receiver.answer(hook);
      if (status === "hang") return;
      res.writeHead(status, { "Content-Type": "text/plain" }).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}/hooks/crm`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
