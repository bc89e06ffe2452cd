import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import Handlebars from "handlebars";
import { projectRoot } from "../../config";
import { checkMailData, templateSpecs } from "./templates";
import type { OutgoingMail } from "./types";

export const emailViewsDir = path.join(projectRoot, "views", "emails");

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface RendererOptions {
  /** Public address of the app, shown in the footer. */
  appUrl: string;
  /** Keep compiled templates (production); off, edits to views/emails show on the next mail. */
  cache: boolean;
  dir?: string;
}

type Kind = "html" | "txt";
type Compiled = (context: Record<string, unknown>) => string;

const timeFormat = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "long",
  timeStyle: "short",
  timeZone: "UTC",
});

/** Senders pass times as ISO strings or epoch ms (JSON payloads); people read them as UTC text. */
function readableTime(value: unknown): unknown {
  const date =
    typeof value === "number" || (typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value))
      ? new Date(value)
      : null;
  return date && !Number.isNaN(date.getTime()) ? `${timeFormat.format(date)} UTC` : value;
}

/** Conditionals in text templates leave stray blank lines and trailing spaces; drop them. */
function tidyText(text: string): string {
  return `${text
    .replace(/\r\n/g, "\n")
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim()}\n`;
}

/** Renders the HTML and text parts of a mail from views/emails, each inside its layout. */
export function createRenderer(
  options: RendererOptions,
): (mail: OutgoingMail) => Promise<RenderedMail> {
  const dir = options.dir ?? emailViewsDir;
  // A private instance: helpers or partials registered elsewhere never leak into e-mails.
  const handlebars = Handlebars.create();
  const cache = new Map<string, Compiled>();
  let partialsLoaded = false;

  /** views/emails/partials/<name>.html.hbs become {{> name}} in HTML templates (e.g. the button). */
  async function loadPartials(): Promise<void> {
    if (partialsLoaded && options.cache) return;
    const partialsDir = path.join(dir, "partials");
    for (const file of await readdir(partialsDir)) {
      if (!file.endsWith(".html.hbs")) continue;
      const source = await readFile(path.join(partialsDir, file), "utf8");
      handlebars.registerPartial(file.slice(0, -".html.hbs".length), source);
    }
    partialsLoaded = true;
  }

  async function template(name: string, kind: Kind): Promise<Compiled> {
    const key = `${name}.${kind}`;
    const cached = cache.get(key);
    if (cached) return cached;
    const source = await readFile(path.join(dir, `${key}.hbs`), "utf8");
    // Text parts are not HTML: escaping there would show "&amp;" to the reader.
    const compiled = handlebars.compile(source, { noEscape: kind === "txt" });
    if (options.cache) cache.set(key, compiled);
    return compiled;
  }

  return async function render(mail: OutgoingMail): Promise<RenderedMail> {
    checkMailData(mail);
    const subject = templateSpecs[mail.template].subject(mail.data);
    const data: Record<string, unknown> = { ...mail.data };
    if ("time" in data) data.time = readableTime(data.time);
    const shared = { subject, appName: "CRM", appUrl: options.appUrl };
    const context = { ...data, ...shared };

    await loadPartials();
    const [htmlBody, htmlLayout, textBody, textLayout] = await Promise.all([
      template(mail.template, "html"),
      template("layout", "html"),
      template(mail.template, "txt"),
      template("layout", "txt"),
    ]);
    const html = htmlLayout({ ...shared, body: htmlBody(context) });
    const text = tidyText(textLayout({ ...shared, body: textBody(context) }));
    return { subject, text, html };
  };
}
