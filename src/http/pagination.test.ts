import { isAppError } from "../errors";
import {
  decodeCursor,
  encodeCursor,
  idPosition,
  pageInMemory,
  pageOf,
  pageQuerySchema,
} from "./pagination";

/** The one paging of API lists: ?cursor=&limit= in, rows and the next cursor out. */
describe("cursor pagination", () => {
  it("reads limit 1–100 (default 25) and an optional cursor, refusing anything else", () => {
    expect(pageQuerySchema.parse({})).toEqual({ limit: 25 });
    expect(pageQuerySchema.parse({ limit: "100", cursor: "abc" })).toEqual({
      limit: 100,
      cursor: "abc",
    });
    expect(pageQuerySchema.parse({ limit: "", cursor: "" })).toEqual({ limit: 25 });
    for (const limit of ["0", "101", "2.5", "ten"])
      expect(pageQuerySchema.safeParse({ limit }).success).toBe(false);
    expect(pageQuerySchema.safeParse({ cursor: "x".repeat(401) }).success).toBe(false);
  });

  it("round-trips a position, and answers 422 on cursor for one it did not give out", () => {
    expect(decodeCursor(idPosition, encodeCursor({ id: 7 }))).toEqual({ id: 7 });
    for (const bad of ["nope", encodeCursor({ id: -1 }), encodeCursor({ offset: 3 }), "%%%"]) {
      let caught: unknown;
      try {
        decodeCursor(idPosition, bad);
      } catch (error) {
        caught = error;
      }
      expect(isAppError(caught) && caught.status === 422 && caught.details).toEqual({
        fields: { cursor: "That cursor is not one this list gave out." },
      });
    }
  });

  it("gives a next cursor only when a row beyond the page was read", () => {
    const rows = [{ id: 1 }, { id: 2 }, { id: 3 }];
    const first = pageOf(rows, 2, (last) => ({ id: last.id }));
    expect(first.rows).toEqual([{ id: 1 }, { id: 2 }]);
    expect(decodeCursor(idPosition, first.nextCursor ?? "")).toEqual({ id: 2 });
    expect(pageOf(rows, 3, (last) => ({ id: last.id })).nextCursor).toBeNull();
    expect(pageOf([], 3, () => ({ id: 1 })).nextCursor).toBeNull();
  });

  it("walks a list held whole to its end, every item once, in its order", () => {
    const items = [9, 4, 7, 1, 8].map((id) => ({ id }));
    const seen: number[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 10; guard += 1) {
      const page = pageInMemory(items, { limit: 2, cursor }, (item) => item.id);
      seen.push(...page.rows.map((item) => item.id));
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    expect(seen).toEqual([9, 4, 7, 1, 8]);
  });
});
