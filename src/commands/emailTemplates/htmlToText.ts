/**
 * The text part of an e-mail, generated from its HTML: mail clients that show text only, and spam
 * filters that compare the two parts, both want one. Links keep their address after the label,
 * list items get a dash, block elements a blank line; everything else is the visible text.
 */

const named: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
  copy: "©",
  reg: "®",
  hellip: "…",
  mdash: "—",
  ndash: "–",
  rsquo: "’",
  lsquo: "‘",
  rdquo: "”",
  ldquo: "“",
  rupee: "₹",
};

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, body: string) => {
    if (body[0] === "#") {
      const code =
        body[1] === "x" || body[1] === "X" ? parseInt(body.slice(2), 16) : Number(body.slice(1));
      return Number.isInteger(code) && code > 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : whole;
    }
    return named[body.toLowerCase()] ?? whole;
  });
}

const blockTags = "p|div|h[1-6]|table|tr|ul|ol|blockquote|section|article|header|footer|pre";

export function htmlToText(html: string): string {
  let text = html
    .replace(/<!--[\s\S]*?-->/g, "")
    .replace(/<(head|style|script|title)\b[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/\r\n?/g, "\n")
    // Source line breaks are not visible in HTML; <br> and blocks are.
    .replace(/\s*\n\s*/g, " ");
  text = text.replace(
    /<a\b[^>]*?\bhref\s*=\s*("([^"]*)"|'([^']*)')[^>]*>([\s\S]*?)<\/a\s*>/gi,
    (_whole, _quoted, double: string | undefined, single: string | undefined, inner: string) => {
      const href = decodeEntities(double ?? single ?? "").trim();
      const label = decodeEntities(inner.replace(/<[^>]*>/g, "")).trim();
      if (!href || href.startsWith("#") || href.toLowerCase().startsWith("javascript:"))
        return label;
      const shown = href.replace(/^mailto:/i, "");
      return label === "" || label === shown || label === href ? shown : `${label} (${shown})`;
    },
  );
  text = text
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<li\b[^>]*>/gi, "\n- ")
    .replace(/<\/li\s*>/gi, "")
    .replace(/<hr\b[^>]*>/gi, "\n\n----------\n\n")
    .replace(/<\/(td|th)\s*>/gi, " ")
    .replace(new RegExp(`</?(${blockTags})\\b[^>]*>`, "gi"), "\n\n")
    .replace(/<[^>]*>/g, "");
  return decodeEntities(text)
    .split("\n")
    .map((line) => line.replace(/[ \t\u00a0]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
