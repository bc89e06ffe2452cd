import { addOccasionPicture } from "../../commands/social/media";
import {
  nextDateOf,
  occasionByCode,
  occasionImageUrl,
  occasions,
  occasionYears,
} from "../../commands/social/occasions";
import type { PageCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { formatDate, localDate } from "../../lib/dates";
import { csrfToken } from "../../middleware/csrf";
import type { templateParams } from "./schema";

/** GET /social/templates: every occasion with its text, picture, next date and dates per year. */
export function showTemplates({ req, res, deps, ctx }: PageCall) {
  const today = localDate(deps.clock.now(), ctx.business.timeZone);
  const list = occasions
    .map((o) => {
      const next = nextDateOf(o, today);
      return {
        code: o.code,
        name: o.name,
        region: o.region,
        text: o.text,
        image: occasionImageUrl(o.code),
        next: next ? formatDate(next) : null,
        sortKey: next ?? "9999",
        useUrl: `/social/posts/new?template=${o.code}${next ? `&date=${next}` : ""}`,
        dates: occasionYears.map((year) => ({
          year,
          date: o.dates[year] ? formatDate(o.dates[year]) : "—",
        })),
      };
    })
    .sort((a, b) => a.sortKey.localeCompare(b.sortKey));
  res.render("social/templates", {
    title: "Post templates",
    csrfToken: csrfToken(req),
    occasions: list,
    years: occasionYears,
  });
}

/** POST /social/templates/:code/use: the occasion's picture into the library, then a new post from it. */
export async function useTemplate({
  deps,
  ctx,
  params,
}: PageCall<{ params: typeof templateParams }>) {
  const media = await addOccasionPicture(deps, ctx, params.code);
  const occasion = occasionByCode(params.code)!;
  const next = nextDateOf(occasion, localDate(deps.clock.now(), ctx.business.timeZone));
  return redirect(
    `/social/posts/new?template=${occasion.code}&mediaId=${media.id}${next ? `&date=${next}` : ""}`,
    `The ${occasion.name} picture is in your media library and chosen for this post.`,
  );
}
