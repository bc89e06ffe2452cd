import { selectRows } from "../../db/connection";
import type { Deps } from "../../deps";
import type { TenantContext } from "../../tenancy/context";
import { tenantSql, type SqlFragment, type TenantSql } from "../../tenancy/sql";
import { mayUse } from "../dashboard/summary";
import { listCustomers } from "../customers/list";
import { parseTicketReference, ticketReference } from "../tickets/numbering";
import { likeEscaped, searchWords, wordMatch, type SearchWords } from "./words";

/**
 * Global search (issue 15, item 3): one box across customers, leads, deals, tickets, tasks and
 * campaigns, grouped by kind and ranked within each (a field equal to the words, then starting
 * with them, then a later word starting with them, then the words found apart). Each kind is read
 * only when the member may open it (role, plan, shipped menu), through the same scope as its list
 * (a sales member finds their own customers, leads, deals and tasks). Customers use the
 * customers' own search (customers/filter.ts searchBranches: name, surname, e-mail and phone
 * prefixes on their indexes), which stays fast at 1M customers; the other kinds match every typed
 * word at the start of a word of their text, from a FULLTEXT index on MariaDB (words.ts), never
 * inside a word.
 */
export const searchKinds = ["customer", "lead", "deal", "ticket", "task", "campaign"] as const;
export type SearchKind = (typeof searchKinds)[number];

export interface SearchHit {
  kind: SearchKind;
  id: number;
  title: string;
  detail: string | null;
  href: string;
}

export interface SearchGroup {
  kind: SearchKind;
  label: string;
  hits: SearchHit[];
  /** The kind's own list searching the same words, when it has a search box. */
  moreHref: string | null;
  /** More matches than shown. */
  more: boolean;
}

/** Matches shown per kind; the group links to its list for the rest. */
export const perKind = 5;

const labels: Record<SearchKind, string> = {
  customer: "Customers",
  lead: "Leads",
  deal: "Deals",
  ticket: "Tickets",
  task: "Tasks",
  campaign: "Campaigns",
};

/** `column` LIKE the phrase exactly, at its start, or at a later word's start. */
function like(sql: TenantSql, column: string, pattern: "exact" | "prefix" | "word", q: string) {
  const escaped = likeEscaped(q);
  const text = { exact: escaped, prefix: `${escaped}%`, word: `% ${escaped}%` }[pattern];
  return sql.fragment`${sql.raw(column)} LIKE ${text} ESCAPE '!'`;
}

/**
 * The order of the rows found: 0 a field is the phrase, 1 starts with it, 2 a later word starts
 * with it, 3 the words found apart; as a CASE over `columns`.
 */
function rankOf(sql: TenantSql, columns: string[], q: string): SqlFragment {
  const any = (pattern: "exact" | "prefix" | "word") =>
    columns
      .map((c) => like(sql, c, pattern, q))
      .reduce((all, part) => sql.fragment`${all} OR ${part}`);
  return sql.fragment`CASE WHEN ${any("exact")} THEN 0 WHEN ${any("prefix")} THEN 1
    WHEN ${any("word")} THEN 2 ELSE 3 END`;
}

type Row = Record<string, string | number | null>;

/**
 * The first perKind + 1 rows of `columns` matching the words, best first, or none when the
 * words leave the kind unsearched (words.ts). `statement` gets the rank and the match condition.
 */
async function ranked(
  deps: Deps,
  sql: TenantSql,
  statement: (rank: SqlFragment, match: SqlFragment) => string,
  columns: string[],
  words: SearchWords,
): Promise<Row[]> {
  const match = wordMatch(sql, deps.sequelize.getDialect() === "mysql", columns, words);
  if (!match) return [];
  return selectRows<Row>(deps.sequelize, statement(rankOf(sql, columns, words.phrase), match));
}

async function customers(deps: Deps, ctx: TenantContext, q: string): Promise<SearchGroup> {
  const page = await listCustomers(deps, ctx, { q }, { sort: "name", size: perKind });
  const key = q.toLowerCase();
  // Every match starts with the words typed (an index prefix); the exact ones go first.
  const exact = (r: (typeof page.rows)[number]) =>
    r.nameKey === key || r.email?.toLowerCase() === key ? 0 : 1;
  const rows = [...page.rows].sort((a, b) => exact(a) - exact(b));
  return {
    kind: "customer",
    label: labels.customer,
    hits: rows.map((r) => ({
      kind: "customer",
      id: r.id,
      title: r.name,
      detail: [r.email, r.phoneE164].filter(Boolean).join(" · ") || null,
      href: `/customers/${r.id}`,
    })),
    more: page.total > rows.length || page.totalCapped,
    moreHref: `/customers?q=${encodeURIComponent(q)}`,
  };
}

function group(
  kind: SearchKind,
  rows: Row[],
  hit: (row: Row) => Omit<SearchHit, "kind" | "id" | "href"> & { href?: string },
  path: string,
  moreHref: string | null,
): SearchGroup {
  const shown = rows.slice(0, perKind);
  return {
    kind,
    label: labels[kind],
    hits: shown.map((row) => ({
      kind,
      id: Number(row.id),
      href: `${path}${Number(row.id)}`,
      ...hit(row),
    })),
    more: rows.length > perKind,
    moreHref: rows.length > perKind ? moreHref : null,
  };
}

const text = (value: unknown) => (value === null || value === undefined ? "" : String(value));

async function leads(deps: Deps, sql: TenantSql, words: SearchWords): Promise<SearchGroup> {
  const rows = await ranked(
    deps,
    sql,
    (rank, match) => sql.text`SELECT l.id, l.first_name, l.last_name, l.company, l.email,
        ${rank} AS rank_ FROM leads l WHERE ${sql.scoped("l")} AND ${match}
      ORDER BY rank_, l.id DESC LIMIT ${perKind + 1}`,
    ["l.first_name", "l.last_name", "l.company", "l.email"],
    words,
  );
  return group(
    "lead",
    rows,
    (r) => ({
      title: `${text(r.first_name)} ${text(r.last_name)}`.trim(),
      detail: [r.company, r.email].filter(Boolean).join(" · ") || null,
    }),
    "/leads/",
    `/leads?q=${encodeURIComponent(words.phrase)}`,
  );
}

async function deals(deps: Deps, sql: TenantSql, words: SearchWords): Promise<SearchGroup> {
  // The deals alone, then the stages of the few found: joined in one statement, MariaDB read the
  // stages first and every deal through stage_id (300 ms at 100,000 deals).
  const found = await ranked(
    deps,
    sql,
    (rank, match) => sql.text`SELECT d.id, d.title, d.stage_id, ${rank} AS rank_
        FROM deals d WHERE ${sql.scoped("d")} AND ${match}
      ORDER BY rank_, d.id DESC LIMIT ${perKind + 1}`,
    ["d.title"],
    words,
  );
  const stageIds = [...new Set(found.map((r) => Number(r.stage_id)))];
  const stages = stageIds.length
    ? await selectRows<Row>(
        deps.sequelize,
        sql.text`SELECT s.id, s.name FROM pipeline_stages s
          WHERE ${sql.scoped("s")} AND s.id IN ${stageIds}`,
      )
    : [];
  const stageName = new Map(stages.map((s) => [Number(s.id), s.name]));
  const rows = found.map((r) => ({ ...r, stage: stageName.get(Number(r.stage_id)) ?? null }));
  // The deals list has no search box: the group's extra matches are on this page only.
  return group(
    "deal",
    rows,
    (r) => ({ title: text(r.title), detail: text(r.stage) }),
    "/deals/",
    null,
  );
}

async function tickets(deps: Deps, sql: TenantSql, words: SearchWords): Promise<SearchGroup> {
  // A ticket number (TKT-000123, 123) is its own lookup on the number's index, first; joined to
  // the MATCH with OR, MariaDB could use neither index.
  const number = parseTicketReference(words.phrase);
  const byNumber =
    number === null
      ? []
      : await selectRows<Row>(
          deps.sequelize,
          sql.text`SELECT t.id, t.number, t.subject, t.status FROM tickets t
            WHERE ${sql.scoped("t")} AND t.number = ${number}`,
        );
  const bySubject = await ranked(
    deps,
    sql,
    (rank, match) => sql.text`SELECT t.id, t.number, t.subject, t.status, ${rank} AS rank_
        FROM tickets t WHERE ${sql.scoped("t")} AND ${match}
      ORDER BY rank_, t.id DESC LIMIT ${perKind + 1}`,
    ["t.subject"],
    words,
  );
  const numbered = new Set(byNumber.map((r) => Number(r.id)));
  const rows = [...byNumber, ...bySubject.filter((r) => !numbered.has(Number(r.id)))];
  return group(
    "ticket",
    rows,
    (r) => ({
      title: text(r.subject),
      detail: `${ticketReference(Number(r.number))} · ${text(r.status).replace(/_/g, " ")}`,
    }),
    "/tickets/",
    `/tickets?q=${encodeURIComponent(words.phrase)}&status=any`,
  );
}

async function tasks(deps: Deps, sql: TenantSql, words: SearchWords): Promise<SearchGroup> {
  const rows = await ranked(
    deps,
    sql,
    (rank, match) => sql.text`SELECT k.id, k.title, k.status, ${rank} AS rank_
        FROM tasks k WHERE ${sql.scoped("k")} AND ${match}
      ORDER BY rank_, k.id DESC LIMIT ${perKind + 1}`,
    ["k.title"],
    words,
  );
  return group(
    "task",
    rows,
    (r) => ({ title: text(r.title), detail: text(r.status).replace(/_/g, " ") }),
    "/tasks/",
    null,
  );
}

async function campaigns(deps: Deps, sql: TenantSql, words: SearchWords): Promise<SearchGroup> {
  const rows = await ranked(
    deps,
    sql,
    (rank, match) => sql.text`SELECT p.id, p.name, p.status, p.channel, ${rank} AS rank_
        FROM campaigns p WHERE ${sql.scoped("p")} AND ${match}
      ORDER BY rank_, p.id DESC LIMIT ${perKind + 1}`,
    ["p.name", "p.utm_campaign"],
    words,
  );
  return group(
    "campaign",
    rows,
    (r) => ({
      title: text(r.name),
      detail: `${text(r.channel).replace(/_/g, " ")} · ${text(r.status)}`,
    }),
    "/campaigns/",
    `/campaigns?q=${encodeURIComponent(words.phrase)}`,
  );
}

/** The groups with at least one match, in a fixed order (customers first). */
export async function globalSearch(
  deps: Deps,
  ctx: TenantContext,
  q: string,
): Promise<SearchGroup[]> {
  const words = searchWords(q);
  if (!words.phrase) return [];
  const sql = tenantSql(deps, ctx);
  const none = Promise.resolve(null);
  const groups = await Promise.all([
    mayUse(ctx, "customers") ? customers(deps, ctx, words.phrase) : none,
    mayUse(ctx, "leads") ? leads(deps, sql, words) : none,
    mayUse(ctx, "deals") ? deals(deps, sql, words) : none,
    mayUse(ctx, "tickets") ? tickets(deps, sql, words) : none,
    mayUse(ctx, "tasks") ? tasks(deps, sql, words) : none,
    mayUse(ctx, "campaigns") ? campaigns(deps, sql, words) : none,
  ]);
  return groups.filter((g): g is SearchGroup => g !== null && g.hits.length > 0);
}
