/**
 * What an SMTP failure means for a campaign message. A 5xx answer is permanent: at RCPT TO or
 * DATA it is the recipient's server refusing this recipient or this message for good — a bounce,
 * as a DSN would say later; elsewhere (MAIL FROM, the login) it is our side that is refused
 * (failed). A 4xx answer, a dropped connection or a timeout is temporary: the send is tried again.
 */
export interface SmtpFailure {
  /** bounced: the recipient's server refused it for good; failed: our sender or login was refused; retry: try again later. */
  outcome: "bounced" | "failed" | "retry";
  /** The SMTP reply code ("550"), or nodemailer's error code ("ECONNECTION"). */
  code: string;
  reason: string;
}

const networkCodes = new Set([
  "ECONNECTION",
  "ETIMEDOUT",
  "ESOCKET",
  "EDNS",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "EHOSTUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
]);

interface NodemailerError {
  code?: unknown;
  responseCode?: unknown;
  response?: unknown;
  command?: unknown;
  message?: unknown;
}

function shorten(text: string): string {
  const single = text.replace(/\s+/g, " ").trim();
  return single.length > 480 ? `${single.slice(0, 477)}…` : single;
}

export function classifySmtpError(error: unknown): SmtpFailure {
  const e = (typeof error === "object" && error !== null ? error : {}) as NodemailerError;
  const code = typeof e.code === "string" ? e.code : "";
  const responseCode = typeof e.responseCode === "number" ? e.responseCode : null;
  const response = typeof e.response === "string" ? e.response : "";
  const message = typeof e.message === "string" ? e.message : String(error);
  const reason = shorten(response || message);
  if (responseCode !== null && responseCode >= 500 && responseCode < 600) {
    if (code === "EAUTH")
      return {
        outcome: "failed",
        code: String(responseCode),
        reason: `The SMTP server refused the login: check the e-mail channel's SMTP settings (${reason})`,
      };
    // Refused at RCPT TO or DATA: this address, or this message to it, is not taken.
    const command = String(e.command ?? "");
    const bounced = /RCPT|DATA/i.test(command) || (code === "EENVELOPE" && command === "");
    return { outcome: bounced ? "bounced" : "failed", code: String(responseCode), reason };
  }
  if (responseCode !== null && responseCode >= 400 && responseCode < 500)
    return { outcome: "retry", code: String(responseCode), reason };
  if (networkCodes.has(code) || /timeout|timed out|socket|connect/i.test(message))
    return { outcome: "retry", code: code || "network", reason };
  // Nothing says the message was refused for good: try again (the dispatcher caps attempts).
  return { outcome: "retry", code: code || "error", reason };
}
