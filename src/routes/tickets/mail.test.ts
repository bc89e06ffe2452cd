import type { AddressInfo } from "node:net";
import request from "supertest";
import { SMTPServer } from "smtp-server";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { contextFor } from "../../../test/support/deps";
import { buildBusiness, buildCustomer, buildUser, uniqueEmail } from "../../../test/factories";
import { createTicket } from "../../commands/tickets/create";
import { addTicketMessage } from "../../commands/tickets/messages";
import { updateTicket } from "../../commands/tickets/update";
import type { Business, User } from "../../models";

/** The SMTP stand-in: a real SMTP server on a free port, keeping every message it is given. */
async function startSmtpServer() {
  const received: Array<{ rcptTo: string[]; raw: string }> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        received.push({
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(resolve)),
  };
}

/** A header of a raw message (unfolded). */
function header(raw: string, name: string): string | undefined {
  const head = raw.slice(0, raw.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, " ");
  const line = head
    .split(/\r?\n/)
    .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/** The decoded text/plain part, as a mail program shows it. */
function textPart(raw: string): string {
  const section = raw
    .split(/\r?\n--[^\r\n]+\r?\n/)
    .find((s) => /^Content-Type: text\/plain/im.test(s));
  if (!section) return "";
  const split = section.search(/\r?\n\r?\n/);
  const body = section.slice(split).trim();
  if (/Content-Transfer-Encoding: quoted-printable/i.test(section.slice(0, split))) {
    const bytes = body
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-F]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return body;
}

async function until<T>(read: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("not received in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const secret = "inbound-secret-of-the-test-run-0123456789";

describe("ticket e-mail: replies out through SMTP, answers back through the inbound webhook", () => {
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  let t: TestApp;
  let business: Business;
  let owner: User;

  const inbound = (body: object, key = secret) =>
    request(t.app)
      .post("/webhooks/mail/inbound")
      .set("Content-Type", "application/json")
      .set("X-Inbound-Mail-Secret", key)
      .send(JSON.stringify(body));
  const mailTo = (address: string, template: string) =>
    until(() =>
      smtp.received.find(
        (m) => m.rcptTo.includes(address) && header(m.raw, "X-CRM-Template") === template,
      ),
    );

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await buildTestApp({
      SMTP_URL: smtp.url,
      TICKET_REPLY_DOMAIN: "support.example.test",
      INBOUND_MAIL_SECRET: secret,
    });
    owner = await buildUser(t.deps.models, { name: "Asha Rao", planCode: "enterprise" });
    ({ business } = await buildBusiness(t.deps.models, { owner, name: "Shah Traders" }));
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it("e-mails a reply by a job, threads the customer's answer back and reopens the ticket", async () => {
    const address = uniqueEmail("meera");
    const customer = await buildCustomer(t.deps.models, business, {
      name: "Meera Iyer",
      email: address,
    });
    const ctx = await contextFor(t.deps, business, owner);
    const ticket = await createTicket(t.deps, ctx, {
      subject: "Printer jams",
      customerId: customer.id,
      channel: "email",
    });
    await addTicketMessage(t.deps, ctx, ticket, {
      kind: "reply",
      body: "Please try the other tray.",
      status: "waiting_on_customer",
    });
    // A note is never e-mailed.
    await addTicketMessage(t.deps, ctx, ticket, { kind: "note", body: "Tray 2 is known to jam." });

    const sent = await mailTo(address, "ticket-reply");
    const subject = header(sent.raw, "Subject") ?? "";
    expect(subject).toBe(`Re: Printer jams [TKT-000001] (ref:${ticket.replyToken})`);
    expect(header(sent.raw, "Reply-To")).toBe(`ticket+${ticket.replyToken}@support.example.test`);
    expect(textPart(sent.raw)).toContain("Please try the other tray.");
    expect(textPart(sent.raw)).toContain("Asha Rao, Shah Traders");
    expect(sent.raw).not.toContain("Tray 2 is known to jam.");
    await ticket.reload();
    expect(ticket.status).toBe("waiting_on_customer");
    expect(ticket.firstRespondedAt).not.toBeNull();

    // What the provider's inbound parser hands over for the customer's answer to that e-mail.
    const answer = {
      from: `Meera Iyer <${address}>`,
      to: [header(sent.raw, "Reply-To")],
      subject: `Re: ${subject}`,
      text: `Tray 2 worked, thanks!\n\nOn Tue, 1 Dec 2026 at 11:00, Shah Traders wrote:\n> Please try the other tray.\n`,
      messageId: `<answer-${ticket.id}@mail.example.test>`,
    };
    const res = await inbound(answer).expect(200);
    expect(res.body.data).toMatchObject({ outcome: "threaded", ticketId: ticket.id });
    await inbound(answer).expect(200, /duplicate/); // the provider retried: threaded once
    const thread = await t.deps.models.TicketMessage.findAll({
      where: { ticketId: ticket.id },
      order: [["id", "ASC"]],
    });
    expect(thread.map((m) => [m.kind, m.body, m.fromEmail])).toEqual([
      ["reply", "Please try the other tray.", null],
      ["note", "Tray 2 is known to jam.", null],
      ["inbound", "Tray 2 worked, thanks!", address],
    ]);
    expect((await ticket.reload()).status).toBe("in_progress");

    // The token in the subject is enough when the answer went to the From address.
    const bySubject = await inbound({
      from: address,
      to: "no-reply@localhost",
      subject: `Re: ${subject}`,
      text: "One more thing.",
    }).expect(200);
    expect(bySubject.body.data.outcome).toBe("threaded");

    await updateTicket(t.deps, ctx, ticket, { status: "resolved" });
    const resolved = await mailTo(address, "ticket-resolved");
    expect(header(resolved.raw, "Subject")).toBe(
      `Resolved: Printer jams [TKT-000001] (ref:${ticket.replyToken})`,
    );
    expect(textPart(resolved.raw)).toContain("has been resolved");
  });

  it("refuses a wrong secret (401) and drops mail that names no ticket", async () => {
    const before = await t.deps.models.TicketMessage.count();
    await inbound(
      {
        from: "x@example.test",
        to: ["ticket+0123456789abcdef01234567@x.test"],
        subject: "",
        text: "hi",
      },
      "wrong-secret-wrong-secret-000",
    ).expect(401);
    const none = await inbound({
      from: "x@example.test",
      to: ["sales@example.test"],
      subject: "Hello",
      text: "hi",
    }).expect(200);
    expect(none.body.data).toEqual({ outcome: "no_ticket" });
    await inbound({ from: "x@example.test", to: 7 }).expect(422);
    expect(await t.deps.models.TicketMessage.count()).toBe(before);
  });

  it("resolves with a reply: the reply and the resolution e-mail both go out", async () => {
    const address = uniqueEmail("ravi");
    const customer = await buildCustomer(t.deps.models, business, { name: "Ravi", email: address });
    const ctx = await contextFor(t.deps, business, owner);
    const ticket = await createTicket(t.deps, ctx, {
      subject: "Where is my bill",
      customerId: customer.id,
    });
    await addTicketMessage(t.deps, ctx, ticket, {
      kind: "reply",
      body: "Sent again just now.",
      status: "resolved",
    });
    expect((await ticket.reload()).status).toBe("resolved");
    expect(textPart((await mailTo(address, "ticket-reply")).raw)).toContain("Sent again just now.");
    expect(header((await mailTo(address, "ticket-resolved")).raw, "Subject")).toContain(
      "Resolved: Where is my bill",
    );
  });
});
