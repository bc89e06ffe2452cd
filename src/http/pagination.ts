import { z } from "zod";
import { AppError } from "../errors";

/**
 * The one way every API list pages: `?cursor=&limit=` in, `{ data: [...], nextCursor }` out
 * (the envelope's `data` is the page's items, `nextCursor` sits beside it and is null on the last
 * page). A cursor is opaque to clients: base64url of a small JSON value the list itself chose
 * (a keyset position, usually the last row's sort key and id).
 */
export const maxPageLimit = 100;
export const defaultPageLimit = 25;

const limitMessage = `Use a limit from 1 to ${maxPageLimit}.`;
const blank = (v: unknown) => (v === "" || v === null ? undefined : v);

/** The query of a list; `.extend({...})` it with the list's own filters. */
export const pageQuerySchema = z.object({
  cursor: z.preprocess(
    blank,
    z
      .string({ error: "Send one cursor." })
      .max(400, { error: "That cursor is not ours." })
      .optional(),
  ),
  limit: z.preprocess(
    blank,
    z.coerce
      .number({ error: limitMessage })
      .int({ error: limitMessage })
      .min(1, { error: limitMessage })
      .max(maxPageLimit, { error: limitMessage })
      .default(defaultPageLimit),
  ),
});
export type PageQuery = z.output<typeof pageQuerySchema>;

/** Writes a list's position as an opaque cursor. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position), "utf8").toString("base64url");
}

/**
 * Reads a cursor back through the list's own schema of a position; anything else (edited,
 * another list's) is a 422 on `cursor`, never a silently different page.
 */
export function decodeCursor<S extends z.ZodType>(schema: S, cursor: string): z.output<S> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw AppError.validation({ cursor: "That cursor is not one this list gave out." });
  return parsed.data;
}

/** A position that is just the last id of a list ordered by id. */
export const idPosition = z.object({ id: z.number().int().positive() });

/**
 * One page from rows read with `limit + 1` (the extra row only says there is a next page):
 * the page's rows and the cursor after its last row, or null.
 */
export function pageOf<T>(
  rows: readonly T[],
  limit: number,
  positionOf: (last: T) => unknown,
): { rows: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const more = rows.length > limit && last !== undefined;
  return { rows: page, nextCursor: more ? encodeCursor(positionOf(last)) : null };
}

/**
 * A page of a list already held whole (a customer's notes, a business's segments: small by
 * nature), in its given order: the items after the cursor's id.
 */
export function pageInMemory<T>(
  items: readonly T[],
  query: PageQuery,
  idOf: (item: T) => number,
): { rows: T[]; nextCursor: string | null } {
  const after = query.cursor ? decodeCursor(idPosition, query.cursor).id : null;
  const start = after === null ? 0 : items.findIndex((item) => idOf(item) === after) + 1;
  // A cursor whose row is gone (deleted since) starts again from the top rather than fail.
  return pageOf(items.slice(start), query.limit, (last) => ({ id: idOf(last) }));
}

/** A position by offset, for lists whose order has no unique key to continue from (tasks). */
export const offsetPosition = z.object({ offset: z.number().int().min(0).max(10_000_000) });
