import type { AddressInfo } from "node:net";
import { SMTPServer, type SMTPServerAddress } from "smtp-server";

/**
 * A real SMTP server on a free local port that keeps what it is sent: the stand-in for the
 * platform's (or a business's own) SMTP relay. It can refuse chosen recipients with any 4xx
 * (temporary) or 5xx (permanent) reply, at RCPT TO or after the message's DATA, as a real relay
 * would, and counts every refusal.
 */
export interface SinkMessage {
  from: string;
  rcptTo: string[];
  /** The message source as received (absent when the sink was started with `keepRaw: false`). */
  raw: string;
  /** Header lines of the message, unfolded, keyed in lower case (first occurrence). */
  headers: Record<string, string>;
}

export interface SmtpSink {
  /** smtp://127.0.0.1:<port> for nodemailer. */
  url: string;
  messages: SinkMessage[];
  /** Messages accepted so far (also counted when raw messages are not kept). */
  accepted(): number;
  /** Refusals so far (RCPT TO and DATA), by class. */
  refusals(): { permanent: number; temporary: number };
  /** Refusals of one address so far, at either stage. */
  refusalsOf(address: string): number;
  /**
   * Refuse `address` from now on with `code` (4xx temporary, 5xx permanent) at RCPT TO (the
   * default) or at the end of DATA (the message is refused after it was transmitted).
   */
  refuse(address: string, code: number, stage?: RefusalStage): void;
  /** Stop refusing `address`. */
  accept(address: string): void;
  /** Messages to `address` (envelope recipient). */
  to(address: string): SinkMessage[];
  /** Resolves once `count` messages have been accepted, or rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface SmtpSinkOptions {
  /** Keep each message's source (tests); the benchmark only counts. Default true. */
  keepRaw?: boolean;
  /** Addresses refused at RCPT TO from the start, with their code. */
  refuse?: Record<string, number>;
}

export type RefusalStage = "rcpt" | "data";

/** Texts of the refusals, as relays word them. */
const refusalTexts: Record<RefusalStage, { permanent: string; temporary: string }> = {
  rcpt: { permanent: "5.1.1 No such user here", temporary: "4.3.0 Mailbox busy, try again later" },
  data: {
    permanent: "5.7.1 Message rejected as spam by content filter",
    temporary: "4.7.1 Greylisted, try again later",
  },
};

/** Header lines of a raw message, unfolded; the first occurrence of each name wins. */
export function headersOf(raw: string): Record<string, string> {
  const end = raw.search(/\r?\n\r?\n/);
  const head = (end < 0 ? raw : raw.slice(0, end)).replace(/\r?\n[ \t]+/g, " ");
  const headers: Record<string, string> = {};
  for (const line of head.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= line.slice(colon + 1).trim();
  }
  return headers;
}

/** The decoded body of the MIME part with this content type (quoted-printable or base64). */
export function partOf(raw: string, contentType: string): string | undefined {
  const sections = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  const section = sections.find((s) => new RegExp(`^Content-Type: ${contentType}`, "im").test(s));
  if (!section) return undefined;
  const split = section.search(/\r?\n\r?\n/);
  const headers = section.slice(0, split);
  const body = section
    .slice(split)
    .trim()
    .replace(/\r?\n--[^\r\n]+--\s*$/, "");
  if (/Content-Transfer-Encoding: quoted-printable/i.test(headers)) {
    const bytes = body
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  if (/Content-Transfer-Encoding: base64/i.test(headers)) {
    return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  }
  return body;
}

function smtpError(message: string, code: number): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const keepRaw = options.keepRaw ?? true;
  const refused = new Map<string, { code: number; stage: RefusalStage }>(
    Object.entries(options.refuse ?? {}).map(([address, code]) => [
      address.toLowerCase(),
      { code, stage: "rcpt" },
    ]),
  );
  const perAddress = new Map<string, number>();
  /** The refusal `address` gets at `stage`, counted, or null when it is taken. */
  const refusalFor = (address: string, stage: RefusalStage): Error | null => {
    const key = address.toLowerCase();
    const rule = refused.get(key);
    if (!rule || rule.stage !== stage) return null;
    const permanent = rule.code >= 500;
    if (permanent) counts.permanent += 1;
    else counts.temporary += 1;
    perAddress.set(key, (perAddress.get(key) ?? 0) + 1);
    const text = refusalTexts[stage][permanent ? "permanent" : "temporary"];
    return smtpError(text, rule.code);
  };
  const messages: SinkMessage[] = [];
  const counts = { accepted: 0, permanent: 0, temporary: 0 };
  const waiters: Array<{ count: number; resolve: () => void }> = [];

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    // The benchmark opens several pooled connections at once.
    maxClients: 1000,
    size: 10 * 1024 * 1024,
    onRcptTo(address: SMTPServerAddress, _session, callback) {
      const refusal = refusalFor(address.address, "rcpt");
      if (refusal) return callback(refusal);
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => {
        if (keepRaw) chunks.push(chunk);
      });
      stream.on("end", () => {
        // A refusal after DATA refuses the whole message (one recipient per campaign message).
        const refusal = session.envelope.rcptTo
          .map((rcpt) => refusalFor(rcpt.address, "data"))
          .find((error) => error !== null);
        if (refusal) return callback(refusal);
        counts.accepted += 1;
        if (keepRaw) {
          const raw = Buffer.concat(chunks).toString("utf8");
          const from = session.envelope.mailFrom;
          messages.push({
            from: from ? from.address : "",
            rcptTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            raw,
            headers: headersOf(raw),
          });
        }
        for (const waiter of waiters.filter((w) => counts.accepted >= w.count)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve();
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    accepted: () => counts.accepted,
    refusals: () => ({ permanent: counts.permanent, temporary: counts.temporary }),
    refusalsOf: (address) => perAddress.get(address.toLowerCase()) ?? 0,
    refuse: (address, code, stage = "rcpt") =>
      void refused.set(address.toLowerCase(), { code, stage }),
    accept: (address) => void refused.delete(address.toLowerCase()),
    to: (address) =>
      messages.filter((m) => m.rcptTo.some((r) => r.toLowerCase() === address.toLowerCase())),
    waitFor(count, timeoutMs = 10_000) {
      if (counts.accepted >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(new Error(`SMTP sink: ${counts.accepted} of ${count} messages arrived`));
        }, timeoutMs);
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
