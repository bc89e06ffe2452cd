import { randomBytes } from "node:crypto";
import nodemailer, { type Transporter } from "nodemailer";

/**
 * Campaign e-mail over SMTP: one pooled nodemailer transport per SMTP URL (the platform's
 * SMTP_URL, or a business's own server), kept open between sends — a campaign sends thousands of
 * messages, and a new connection per message would cap it far below its rate.
 */
export interface CampaignMail {
  from: { name: string; address: string };
  replyTo: string | null;
  to: string;
  subject: string;
  html: string;
  text: string;
  /** Set before sending so it can be recorded whatever happens next. */
  messageId: string;
  headers: Record<string, string>;
}

export interface SentMail {
  messageId: string;
  /** The server's answer to DATA ("250 OK queued as …"). */
  response: string;
}

/** `<random.b<business>.r<recipient>@domain>`: a bounce quoting it names its business and row. */
export function newMessageId(fromAddress: string, businessId: number, recipientId: number): string {
  const domain = fromAddress.split("@")[1]?.trim() || "localhost";
  return `<${randomBytes(9).toString("base64url")}.b${businessId}.r${recipientId}@${domain}>`;
}

/** The business and recipient a Message-ID of ours names, or null for anyone else's. */
export function parseMessageId(
  messageId: string,
): { businessId: number; recipientId: number } | null {
  const match = /^<?[A-Za-z0-9_-]+\.b(\d{1,10})\.r(\d{1,12})@[^>\s]+>?$/.exec(messageId.trim());
  if (!match) return null;
  return { businessId: Number(match[1]), recipientId: Number(match[2]) };
}

export interface CampaignTransports {
  send(smtpUrl: string, mail: CampaignMail): Promise<SentMail>;
  close(): Promise<void>;
}

export interface TransportOptions {
  /** Connections per SMTP server; the benchmark raises it. */
  maxConnections?: number;
  /** Business servers kept open at once (the oldest is closed beyond it). */
  maxServers?: number;
}

export function createCampaignTransports(options: TransportOptions = {}): CampaignTransports {
  const maxConnections = options.maxConnections ?? 5;
  const maxServers = options.maxServers ?? 50;
  const transports = new Map<string, Transporter>();

  const transportFor = (smtpUrl: string): Transporter => {
    const existing = transports.get(smtpUrl);
    if (existing) {
      // Most recently used last, so the first is the one to close when there are too many.
      transports.delete(smtpUrl);
      transports.set(smtpUrl, existing);
      return existing;
    }
    const transport = nodemailer.createTransport({
      url: smtpUrl,
      pool: true,
      maxConnections,
      maxMessages: Infinity,
      connectionTimeout: 15_000,
      greetingTimeout: 15_000,
      socketTimeout: 60_000,
    });
    transports.set(smtpUrl, transport);
    if (transports.size > maxServers) {
      const [oldestUrl, oldest] = transports.entries().next().value as [string, Transporter];
      transports.delete(oldestUrl);
      oldest.close();
    }
    return transport;
  };

  return {
    async send(smtpUrl, mail) {
      const info = (await transportFor(smtpUrl).sendMail({
        from: { name: mail.from.name, address: mail.from.address },
        to: mail.to,
        ...(mail.replyTo ? { replyTo: mail.replyTo } : {}),
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        messageId: mail.messageId,
        headers: mail.headers,
      })) as { messageId?: string; response?: string };
      return { messageId: info.messageId ?? mail.messageId, response: info.response ?? "" };
    },
    async close() {
      for (const transport of transports.values()) transport.close();
      transports.clear();
    },
  };
}
