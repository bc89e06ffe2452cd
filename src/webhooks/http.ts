import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";
import type { ResolvedAddress } from "./ssrf";

export interface PostResult {
  /** The receiver's status code; null when no answer came (refused, timed out, TLS error). */
  status: number | null;
  durationMs: number;
  error: string | null;
}

/** What is read of a receiver's answer body: nothing of it is kept, it is only drained. */
const maxAnswerBytes = 64 * 1024;

/**
 * POSTs `body` to `url`, connecting to `target` — the address the SSRF check passed — whatever a
 * second DNS lookup would answer now (the URL's host still names the TLS certificate and the Host
 * header). Redirects are not followed: a 3xx is a failed attempt. Bounded by `timeoutMs` in all
 * (real time: it bounds a network wait).
 */
export function postPinned(
  url: URL,
  target: ResolvedAddress,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<PostResult> {
  const started = performance.now();
  const lookup: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (status: number | null, error: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ status, durationMs: Math.round(performance.now() - started), error });
    };
    const req = send(
      url,
      {
        method: "POST",
        headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
        lookup,
        agent: false,
      },
      (res: IncomingMessage) => {
        let read = 0;
        res.on("data", (chunk: Buffer) => {
          read += chunk.length;
          if (read > maxAnswerBytes) res.destroy();
        });
        res.on("end", () => finish(res.statusCode ?? null, null));
        res.on("close", () => finish(res.statusCode ?? null, null));
        res.on("error", () => finish(res.statusCode ?? null, null));
      },
    );
    const timer = setTimeout(() => {
      req.destroy();
      finish(null, `No answer within ${timeoutMs} ms`);
    }, timeoutMs);
    req.on("error", (error: Error) => finish(null, error.message.slice(0, 300)));
    req.end(body);
  });
}
