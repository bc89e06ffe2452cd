import type { TrackingLinks } from "../tracking/tokens";
import { decodeEntities, htmlToText } from "./htmlToText";
import { escapeHtml, fillVariables, type MergeData } from "./variables";

/** What one recipient is sent: the subject, the HTML (with tracking) and the text part. */
export interface ComposedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface EmailContent {
  subject: string;
  htmlBody: string;
}

/**
 * Every http(s) link of the HTML goes through the click redirect, except the unsubscribe link
 * (a scanner following it must never look like a click, and it has its own page).
 */
function trackLinks(html: string, links: TrackingLinks, unsubscribeUrl: string): string {
  return html.replace(
    /(<a\b[^>]*?\bhref\s*=\s*)("([^"]*)"|'([^']*)')/gi,
    (whole, start: string, _quoted, double: string | undefined, single: string | undefined) => {
      const href = decodeEntities(double ?? single ?? "").trim();
      if (!/^https?:\/\//i.test(href) || href === unsubscribeUrl) return whole;
      return `${start}"${escapeHtml(links.clickUrl(href))}"`;
    },
  );
}

/** The open pixel, just before </body> (or at the end of a fragment). */
function addPixel(html: string, pixelUrl: string): string {
  const pixel = `<img src="${escapeHtml(pixelUrl)}" width="1" height="1" alt="" border="0">`;
  const close = html.search(/<\/body\s*>/i);
  return close < 0 ? `${html}\n${pixel}` : `${html.slice(0, close)}${pixel}\n${html.slice(close)}`;
}

/**
 * Fills a checked template for one recipient. The text part is made from the filled HTML before
 * links are rewritten, so it shows the real addresses (clicks in the text part are not tracked).
 * Without `links` (the preview) nothing is tracked.
 */
export function composeEmail(
  content: EmailContent,
  data: MergeData,
  links: TrackingLinks | null,
): ComposedEmail {
  const filled = fillVariables(content.htmlBody, data, "html");
  const text = htmlToText(filled);
  const html = links
    ? addPixel(trackLinks(filled, links, data.unsubscribeUrl), links.openPixelUrl)
    : filled;
  return { subject: fillVariables(content.subject, data, "plain").trim(), html, text };
}
