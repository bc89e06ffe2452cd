import { z } from "zod";
import { globalSearch } from "../../commands/search/global";
import { routes, type Endpoint, type FormFailure, type PageCall } from "../../http/endpoint";

const page = routes({ auth: "page" });

/** Tabs, line breaks and other control characters: never part of what people search for. */
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f-\u009f]/;

export const searchQuery = z.object({
  q: z
    .string()
    .trim()
    .max(100, { error: "Search for at most 100 characters." })
    .refine((q) => !controlCharacters.test(q), {
      error: "Search for letters, digits and punctuation only.",
    })
    .optional()
    .default(""),
});

async function render(
  { res, deps, ctx }: Pick<PageCall, "res" | "deps" | "ctx">,
  q: string,
  errors: string[] = [],
) {
  const groups = errors.length ? [] : await globalSearch(deps, ctx, q);
  let position = 0;
  res.status(errors.length ? 422 : 200).render("search/index", {
    title: q ? `Search: ${q}` : "Search",
    q,
    errors,
    groups: groups.map((g) => ({
      ...g,
      hits: g.hits.map((hit) => ({ ...hit, position: position++ })),
    })),
    searched: q !== "" && errors.length === 0,
  });
}

/** GET /search?q=…: every kind the member may open, grouped and ranked; a plain page. */
export const searchEndpoints: Endpoint[] = [
  page.get("/search", "member", {
    query: searchQuery,
    form: {
      render: (call, failure: FormFailure) => render(call, "", Object.values(failure.errors)),
    },
    handler: (call) => render(call, call.query.q),
  }),
];
