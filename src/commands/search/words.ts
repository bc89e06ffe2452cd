import type { SqlFragment, TenantSql } from "../../tenancy/sql";

/**
 * What global search means by "matches" for leads, deals, tickets, tasks and campaigns: every
 * typed word is the start of a word of the searched fields ("pri sto" finds "Supply for Priya
 * Stores"; "riya" finds nothing). The same on both dialects:
 *
 * - SQLite: LIKE conditions (below) over the business's rows.
 * - MySQL/MariaDB: first `MATCH(columns) AGAINST('+word1* +word2*' IN BOOLEAN MODE)` on the
 *   table's FULLTEXT index (migration 20261230006010), which finds the few rows with those word
 *   prefixes without reading the others; then the same LIKE conditions over those few rows, so
 *   what InnoDB's index cannot tell (stopwords, words under innodb_ft_min_token_size) is decided
 *   exactly as on SQLite.
 *
 * The index holds words of 3+ characters that are not InnoDB stopwords, so only such pieces of
 * the typed words go into AGAINST. A search with none of them ("tv", "of", "al b") would have no
 * index to use: those kinds are then not searched at all, on both dialects; customers (their own
 * prefix indexes) and a ticket number still answer.
 */

/** Where a word of a field starts: after one of these, or at the field's start. */
const separators = [" ", "-", "/", "@", "."];

/** innodb_ft_min_token_size and innodb_ft_max_token_size (server defaults). */
const minToken = 3;
const maxToken = 84;

/**
 * INFORMATION_SCHEMA.INNODB_FT_DEFAULT_STOPWORD: never indexed, so a typed piece that is a
 * prefix of one ("whe" of "where") could miss rows on MariaDB that SQLite finds.
 */
const stopwords = (
  "a about an are as at be by com de en for from how i in is it la of on or " +
  "that the this to was what when where who will with und www"
).split(" ");

/** InnoDB's word characters (letters with their marks, digits, underscore); the rest split. */
const nonWord = /[^\p{L}\p{M}\p{N}_]+/u;

export interface SearchWords {
  /** The words typed, separated by one space (for ranking the whole phrase). */
  phrase: string;
  words: string[];
  /** The AGAINST text for MySQL, or null when no piece can use the index. */
  fulltext: string | null;
}

export function searchWords(q: string): SearchWords {
  const phrase = q.trim().replace(/\s+/g, " ");
  const words = phrase ? phrase.split(" ") : [];
  // Splitting on everything but word characters also strips every boolean operator (+ - < > ( )
  // ~ * " @) the user may have typed.
  const pieces = words
    .flatMap((word) => word.toLowerCase().split(nonWord))
    .filter((p) => [...p].length >= minToken && [...p].length <= maxToken)
    .filter((p) => !stopwords.some((stop) => stop.startsWith(p)));
  const unique = [...new Set(pieces)];
  return { phrase, words, fulltext: unique.length ? unique.map((p) => `+${p}*`).join(" ") : null };
}

/** `text` for LIKE with the typed %, _ and ! taken literally (ESCAPE '!'). */
export const likeEscaped = (text: string) => text.replace(/[!%_]/g, (c) => `!${c}`);

/** Every word starts a word of one of `columns`: the LIKE conditions, for both dialects. */
function startsWords(sql: TenantSql, columns: string[], words: string[]): SqlFragment {
  const and = (parts: SqlFragment[]) => parts.reduce((all, p) => sql.fragment`${all} AND ${p}`);
  const or = (parts: SqlFragment[]) => parts.reduce((all, p) => sql.fragment`${all} OR ${p}`);
  return and(
    words.map((word) => {
      const w = likeEscaped(word);
      const patterns = [`${w}%`, ...separators.map((s) => `%${s}${w}%`)];
      return or(
        columns.flatMap((c) =>
          patterns.map((p) => sql.fragment`${sql.raw(c)} LIKE ${p} ESCAPE '!'`),
        ),
      );
    }),
  );
}

/**
 * The condition for rows of `columns` matching `words`, or null when the kind is not searched
 * (see above). `columns` are those of the table's FULLTEXT index, in its order.
 */
export function wordMatch(
  sql: TenantSql,
  mysql: boolean,
  columns: string[],
  words: SearchWords,
): SqlFragment | null {
  if (words.fulltext === null) return null;
  const like = startsWords(sql, columns, words.words);
  if (!mysql) return like;
  return sql.fragment`MATCH(${sql.raw(columns.join(", "))}) AGAINST(${words.fulltext} IN BOOLEAN MODE)
    AND ${like}`;
}
