import { Router, type Response } from "express";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import {
  headersOf,
  listOutbox,
  outboxDir,
  readOutboxEntry,
  readOutboxSource,
  type OutboxEntry,
} from "../../integrations/mail/outbox";

/** The page shows the newest messages only; the folder keeps growing in development. */
const listLimit = 200;

/**
 * Only for the e-mail body shown in the iframe: mail HTML relies on inline styles, so they are
 * allowed there, and nothing else (no script, no forms, no plugins); the sandbox header keeps it
 * in an opaque origin even when opened directly.
 */
const messageHtmlPolicy = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self'",
  "sandbox allow-popups allow-popups-to-escape-sandbox",
].join("; ");

function shownDate(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

function present(entry: OutboxEntry) {
  return {
    id: entry.id,
    to: entry.to,
    subject: entry.subject,
    template: entry.template,
    date: shownDate(entry.date),
  };
}

function links(text: string): string[] {
  return [...new Set(text.match(/https?:\/\/[^\s<>"]+/g) ?? [])];
}

/** Mail in the outbox holds live sign-in links: never cache or index these pages. */
function noStore(res: Response): void {
  res.set("Cache-Control", "no-store");
  res.set("X-Robots-Tag", "noindex");
}

/**
 * The development outbox: what the embedded mailer wrote to var/outbox. In production the router
 * is empty, so every /dev path falls through to the 404 page.
 */
export function devPages(deps: Deps): Router {
  const router = Router();
  if (deps.config.isProduction) return router;
  const dir = outboxDir(deps.config.varDir);

  router.get("/dev/outbox", async (_req, res) => {
    noStore(res);
    const messages = (await listOutbox(dir, { limit: listLimit })).map(present);
    res.render("dev/outbox", {
      layout: "public",
      title: "Outbox",
      messages,
      limit: listLimit,
      smtp: Boolean(deps.config.SMTP_URL),
    });
  });

  router.get("/dev/outbox/:id", async (req, res) => {
    const [entry, source] = await Promise.all([
      readOutboxEntry(dir, req.params.id),
      readOutboxSource(dir, req.params.id),
    ]);
    if (!entry || !source) throw AppError.notFound();
    noStore(res);
    res.render("dev/message", {
      layout: "public",
      title: entry.subject,
      message: present(entry),
      headers: headersOf(source).map(([name, value]) => ({ name, value })),
      textLines: entry.text.split("\n"),
      links: links(entry.text),
    });
  });

  router.get("/dev/outbox/:id/html", async (req, res) => {
    const entry = await readOutboxEntry(dir, req.params.id);
    if (!entry) throw AppError.notFound();
    noStore(res);
    res.set("Content-Security-Policy", messageHtmlPolicy);
    // Links open in a new tab rather than inside the small frame.
    const html = entry.html.replace(/<head([^>]*)>/i, '<head$1><base target="_blank">');
    res.type("html").send(html);
  });

  router.get("/dev/outbox/:id/source", async (req, res) => {
    const source = await readOutboxSource(dir, req.params.id);
    if (!source) throw AppError.notFound();
    noStore(res);
    res.attachment(`${req.params.id}.eml`).type("message/rfc822").send(source);
  });

  return router;
}
