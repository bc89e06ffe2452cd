import { readFile } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { uniqueEmail } from "../../../test/factories";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { testConfig } from "../../../test/support/config";
import { linksIn, mailsTo, testOutboxDir, waitForMail } from "../../../test/support/outbox";
import { createLogger } from "../../logger";
import { enqueueMail } from "./enqueue";
import { createMailer, type Mailer } from "./mailer";
import type { OutgoingMail } from "./types";

const logger = createLogger("silent");

interface ReceivedMessage {
  rcptTo: string[];
  raw: string;
}

/**
 * A real SMTP server on a free local port. `refuse(n)` decides whether the n-th DATA is refused,
 * with a temporary (451) error as a busy server would send.
 */
async function startSmtpServer(refuse: (attempt: number) => boolean = () => false) {
  const received: ReceivedMessage[] = [];
  let attempts = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        attempts += 1;
        if (refuse(attempts)) {
          callback(Object.assign(new Error("Mailbox busy, try later"), { responseCode: 451 }));
          return;
        }
        const rcptTo = session.envelope.rcptTo.map((rcpt) => rcpt.address);
        received.push({ rcptTo, raw: Buffer.concat(chunks).toString("utf8") });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    attempts: () => attempts,
    close: () => new Promise<void>((resolve) => server.close(resolve)),
  };
}

/** Header value from a raw message (first occurrence, unfolded). */
function header(raw: string, name: string): string | undefined {
  const head = raw.slice(0, raw.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, " ");
  const line = head
    .split(/\r?\n/)
    .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/** The decoded body of the part with this content type, as a mail client would show it. */
function part(raw: string, contentType: string): string | undefined {
  const sections = raw.split(/\r?\n--[^\r\n]+\r?\n/);
  const section = sections.find((s) => new RegExp(`^Content-Type: ${contentType}`, "im").test(s));
  if (!section) return undefined;
  const split = section.search(/\r?\n\r?\n/);
  const headers = section.slice(0, split);
  const body = section.slice(split).trim();
  if (/Content-Transfer-Encoding: quoted-printable/i.test(headers)) {
    const bytes = body
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  if (/Content-Transfer-Encoding: base64/i.test(headers)) {
    return Buffer.from(body, "base64").toString("utf8");
  }
  return body;
}

function resetMail(to: string): OutgoingMail {
  return {
    to,
    template: "password-reset",
    data: {
      name: "Meera Iyer",
      link: `http://localhost:3000/password/reset/tok-${to.slice(0, 13)}`,
    },
  };
}

describe("mail through the queue into the outbox (embedded mode)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("renders, queues and writes the message, source and all, to var/outbox", async () => {
    const to = uniqueEmail("outbox");
    const mail = resetMail(to);
    await enqueueMail(t.deps, mail);

    const captured = await waitForMail(to, { template: "password-reset" });
    expect(captured.to).toBe(to);
    expect(captured.subject).toBe("Reset your CRM password");
    expect(captured.text).toContain("Hello Meera Iyer,");
    expect(linksIn(captured)).toEqual([mail.data.link]);
    expect(captured.html).toContain(`href="${String(mail.data.link)}"`);

    const source = await readFile(path.join(testOutboxDir, `${captured.id}.eml`), "utf8");
    expect(header(source, "To")).toBe(to);
    expect(header(source, "Subject")).toBe("Reset your CRM password");
    expect(header(source, "From")).toBe(t.deps.config.MAIL_FROM);
    expect(header(source, "X-CRM-Template")).toBe("password-reset");
    expect(part(source, "text/plain")).toContain(String(mail.data.link));
    expect(part(source, "text/html")).toContain("Choose a new password");
    // Only this one message went to this address.
    expect(await mailsTo(to)).toHaveLength(1);
  });

  it("fails the job instead of writing a message with missing data", async () => {
    const to = uniqueEmail("incomplete");
    const mailer = createMailer(testConfig(), logger);
    await expect(
      mailer.send({ to, template: "activation", data: { name: "No Link" } }),
    ).rejects.toThrow("needs data: link");
    expect(await mailsTo(to)).toEqual([]);
  });
});

describe("mail over SMTP (SMTP_URL set)", () => {
  let mailer: Mailer | undefined;
  afterEach(async () => {
    await mailer?.close();
    mailer = undefined;
  });

  it("delivers a multipart message with text and HTML to a real SMTP server", async () => {
    const smtp = await startSmtpServer();
    try {
      mailer = createMailer(
        testConfig({ SMTP_URL: smtp.url, MAIL_FROM: "CRM <crm@example.test>" }),
        logger,
      );
      const to = uniqueEmail("smtp");
      const mail = resetMail(to);
      await mailer.send(mail);

      expect(smtp.received).toHaveLength(1);
      const [message] = smtp.received;
      expect(message?.rcptTo).toEqual([to]);
      const raw = message?.raw ?? "";
      expect(header(raw, "To")).toBe(to);
      expect(header(raw, "From")).toBe("CRM <crm@example.test>");
      expect(header(raw, "Subject")).toBe("Reset your CRM password");
      expect(header(raw, "Content-Type")).toMatch(/^multipart\/alternative/);
      expect(part(raw, "text/plain")?.split(/\r?\n/)).toContain(mail.data.link);
      expect(part(raw, "text/html")).toContain(`href="${String(mail.data.link)}"`);
      expect(await mailsTo(to)).toEqual([]);
    } finally {
      await mailer?.close();
      await smtp.close();
    }
  });

  it("rejects when the server refuses the message, so the queue can retry", async () => {
    const smtp = await startSmtpServer(() => true);
    try {
      mailer = createMailer(testConfig({ SMTP_URL: smtp.url }), logger);
      await expect(mailer.send(resetMail(uniqueEmail("refused")))).rejects.toThrow(/451|busy/);
      expect(smtp.attempts()).toBe(1);
      expect(smtp.received).toEqual([]);
    } finally {
      await mailer?.close();
      await smtp.close();
    }
  });

  it("retries through the queue until the server accepts", async () => {
    const smtp = await startSmtpServer((attempt) => attempt <= 2);
    const app = await buildTestApp({ SMTP_URL: smtp.url });
    try {
      const to = uniqueEmail("retried");
      // The task's own backoff is seconds; a short one keeps the test quick with the same path.
      const jobId = await app.deps.jobs.dispatch("send-mail", resetMail(to), {
        retry: { backoffMs: 50 },
      });
      const deadline = Date.now() + 15_000;
      while (smtp.received.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(smtp.attempts()).toBe(3);
      expect(smtp.received.map((m) => m.rcptTo)).toEqual([[to]]);
      let state = await app.deps.queue.state("mail", jobId);
      while (state !== "completed" && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        state = await app.deps.queue.state("mail", jobId);
      }
      expect(state).toBe("completed");
    } finally {
      await app.close();
      await smtp.close();
    }
  });
});
