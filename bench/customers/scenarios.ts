import type { RowDataPacket } from "mysql2/promise";
import { decodeEntities, type Browser } from "../lib/browser";
import { int, say } from "../lib/format";
import type { ServerProcess } from "../lib/processes";
import { businessNames, type BenchDatabase, type SeededData } from "./database";
import { settings, type Scenario } from "./settings";

/**
 * Choosing what the customers benchmark measures: the list, its keyset pages, searches and a
 * tag filter of business A, each page checked to answer 200 with rows first.
 */
const customerLink = /href="\/customers\/(\d+)"/g;

export function customerIdsOn(html: string): number[] {
  return [...new Set([...html.matchAll(customerLink)].map((m) => Number(m[1])))];
}

function nextLinkOf(html: string): string | null {
  const tag = /<a\b[^>]*\brel="next"[^>]*>/.exec(html)?.[0];
  const href = tag && /\bhref="([^"]+)"/.exec(tag)?.[1];
  return href ? decodeEntities(href) : null;
}

export async function scalar(
  db: BenchDatabase,
  sql: string,
  values: unknown[] = [],
): Promise<unknown> {
  const [rows] = await db.connection.query<RowDataPacket[]>(sql, values);
  const first = rows[0];
  return first ? Object.values(first)[0] : undefined;
}

/** The tag carried by the share of A's customers closest to 10%. */
async function tenPercentTag(db: BenchDatabase, businessId: number, customers: number) {
  const [rows] = await db.connection.query<RowDataPacket[]>(
    `SELECT t.name, COUNT(*) AS n FROM customer_tags ct JOIN tags t ON t.id = ct.tag_id
     WHERE ct.business_id = ? GROUP BY t.name`,
    [businessId],
  );
  const ranked = rows
    .map((r) => ({ name: String(r.name), n: Number(r.n) }))
    .sort((x, y) => Math.abs(x.n / customers - 0.1) - Math.abs(y.n / customers - 0.1));
  const best = ranked[0];
  if (!best) throw new Error("Business A has no tags");
  return best;
}

export async function chooseScenarios(
  db: BenchDatabase,
  seeded: SeededData,
  browser: Browser,
  baseline: ServerProcess,
): Promise<Scenario[]> {
  const a = seeded.businessA;
  const scenarios: Scenario[] = [{ name: "baseline (bare page)", kind: "baseline", path: "/" }];
  // No target: the signed-in middleware and layout alone (GET /businesses reads nothing beyond
  // the request context), so the list page's own cost is the difference.
  scenarios.push({ name: "signed-in shell (/businesses)", kind: "shell", path: "/businesses" });
  scenarios.push({ name: "list page", kind: "list", path: "/customers" });

  // Keyset: follow "Next" four times, as a person paging would.
  const first = await browser.get("/customers");
  if (first.status !== 200) throw new Error(`GET /customers answered ${first.status}`);
  let html = first.text;
  let path5 = "";
  for (let i = 0; i < 4; i++) {
    const next = nextLinkOf(html);
    if (!next) throw new Error(`The list page ${i + 1} has no Next link (rel="next")`);
    path5 = next;
    html = (await browser.get(next)).text;
  }
  scenarios.push({ name: "list page 5 (Next x4)", kind: "list", path: path5 });

  // Keyset half-way through the million: the cursor of row 500,000 in name order. The cursor is
  // opaque to clients; this builds it the way list.ts does (base64url of [sort value, id]) and
  // checks that the page starts at row 500,001.
  const middle = Math.floor(settings.customersA / 2);
  const [around] = await db.connection.query<RowDataPacket[]>(
    "SELECT id, name_key FROM customers WHERE business_id = ? ORDER BY name_key, id LIMIT 2 OFFSET ?",
    [a, middle - 1],
  );
  const [atRow, nextRow] = around;
  if (atRow && nextRow) {
    const cursor = Buffer.from(JSON.stringify([atRow.name_key, atRow.id])).toString("base64url");
    const deep = `/customers?after=${cursor}`;
    const page = await browser.get(deep);
    if (page.status === 200 && customerIdsOn(page.text)[0] === Number(nextRow.id))
      scenarios.push({ name: `list, keyset at row ${int(middle)}`, kind: "list", path: deep });
    else
      say(`(skipped the deep keyset page: the app did not take a cursor built as [name_key, id])`);
  }

  scenarios.push({
    name: 'search: surname "sharm"',
    kind: "surname",
    path: "/customers?q=sharm",
    note: `${int(
      Number(
        await scalar(
          db,
          `SELECT COUNT(*) FROM customers WHERE business_id = ?
           AND (name_key LIKE 'sharm%' OR name_tail LIKE 'sharm%' OR email LIKE 'sharm%')`,
          [a],
        ),
      ),
    )} matches`,
  });

  // A phone search as someone types the start of a number: six national digits of a customer.
  const phone = String(
    await scalar(
      db,
      "SELECT phone_national FROM customers WHERE business_id = ? AND phone_e164 LIKE '+91%' ORDER BY id LIMIT 1 OFFSET 777",
      [a],
    ),
  );
  const digits = phone.slice(0, 6);
  const phoneMatches = Number(
    await scalar(
      db,
      `SELECT COUNT(*) FROM customers WHERE business_id = ?
       AND (phone_e164 LIKE ? OR phone_national LIKE ? OR phone_reversed LIKE ?)`,
      [a, `+${digits}%`, `${digits}%`, `${[...digits].reverse().join("")}%`],
    ),
  );
  scenarios.push({
    name: `search: phone "${digits}"`,
    kind: "search",
    path: `/customers?q=${digits}`,
    note: `${int(phoneMatches)} matches`,
  });

  const tag = await tenPercentTag(db, a, settings.customersA);
  scenarios.push({
    name: `tag filter "${tag.name}"`,
    kind: "tag",
    path: `/customers?tags=${encodeURIComponent(tag.name)}`,
    note: `${int(tag.n)} customers (${((tag.n / settings.customersA) * 100).toFixed(1)}%)`,
  });
  scenarios.push({ name: "baseline again (drift)", kind: "baseline", path: "/" });

  // Every page answers 200 with rows before it is measured.
  for (const s of scenarios) {
    const page =
      s.kind === "baseline"
        ? await fetch(baseline.url + s.path).then(async (r) => ({
            status: r.status,
            text: await r.text(),
          }))
        : await browser.get(s.path);
    const rows =
      s.kind === "baseline"
        ? (page.text.match(/<tr>/g)?.length ?? 1) - 1
        : s.kind === "shell"
          ? Number(page.text.includes(businessNames.a))
          : customerIdsOn(page.text).length;
    if (page.status !== 200 || rows === 0) {
      s.error = `answered ${page.status} with ${rows} rows`;
      continue;
    }
    const shown = s.kind === "shell" ? "" : `${rows} rows, `;
    s.note = [s.note, `${shown}${int(page.text.length / 1024)} KB`].filter(Boolean).join("; ");
  }
  return scenarios;
}
