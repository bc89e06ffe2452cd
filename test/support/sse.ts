import { createServer, request as httpRequest, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Application } from "express";
import request from "supertest";
import { defaultPassword } from "../factories";
import { signIn } from "./forms";

/** An app listening on a free local port (SSE needs a real socket to stream over). */
export async function listening(app: Application): Promise<{ url: string; server: Server }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, server };
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Signs in at `url` and answers the Cookie header a browser would then send. */
export async function sessionCookie(url: string, email: string): Promise<string> {
  const agent = request.agent(url);
  const res = await signIn(agent, email, defaultPassword);
  const cookies = res.headers["set-cookie"] as unknown as string[] | undefined;
  if (!cookies?.length) throw new Error("sse: no session cookie after sign-in");
  return cookies.map((c) => c.split(";")[0]).join("; ");
}

/** A server-sent-event stream read event by event: `next()` waits for the next one. */
export interface EventStream {
  response: IncomingMessage;
  next(timeoutMs?: number): Promise<{ event: string; data: string }>;
  close(): void;
}

export function openEventStream(url: string, cookie: string): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { Cookie: cookie, Accept: "text/event-stream" } });
    req.on("error", reject);
    req.on("response", (response) => {
      const queue: Array<{ event: string; data: string }> = [];
      const waiting: Array<(e: { event: string; data: string }) => void> = [];
      let buffer = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const lines = block.split("\n").filter((l) => !l.startsWith(":"));
          if (!lines.length) continue;
          const field = (name: string) =>
            lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? "";
          const item = { event: field("event") || "message", data: field("data") };
          const waiter = waiting.shift();
          if (waiter) waiter(item);
          else queue.push(item);
        }
      });
      resolve({
        response,
        next: (timeoutMs = 5000) =>
          new Promise((done, fail) => {
            const queued = queue.shift();
            if (queued) return done(queued);
            const timer = setTimeout(() => fail(new Error("sse: no event in time")), timeoutMs);
            waiting.push((item) => {
              clearTimeout(timer);
              done(item);
            });
          }),
        close: () => req.destroy(),
      });
    });
    req.end();
  });
}
