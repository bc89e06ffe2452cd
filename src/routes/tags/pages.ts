import { deleteTag, renameTag, tagsWithCounts } from "../../commands/customers/tags";
import type { LoadCall, PageCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { csrfToken } from "../../middleware/csrf";
import type { Tag } from "../../models";
import { can } from "../../policies/permissions";
import { restrictedToOwnRecords, type TenantContext } from "../../tenancy/context";
import { findInBusiness } from "../../tenancy/scope";
import type { tagNameSchema } from "./schema";
import type { tagParams } from "./schema";

type OneTag = { params: typeof tagParams; record: Tag };

export function loadTag({ deps, ctx, params }: LoadCall<TenantContext, { tagId: number }>) {
  return findInBusiness(ctx, deps.models.Tag, params.tagId);
}

/**
 * GET /tags: every tag with its number of customers, each a link to those customers; members
 * limited to their own customers see their tags and counts, without the rename and delete forms.
 */
export async function showTags({ req, res, deps, ctx }: PageCall) {
  const tags = await tagsWithCounts(deps, ctx);
  res.render("tags/index", {
    title: "Tags",
    csrfToken: csrfToken(req),
    tags: tags.map((t) => ({ ...t, link: `/customers?tags=${encodeURIComponent(t.name)}` })),
    canManage: can(ctx.membership.role, "tags.manage"),
    ownOnly: restrictedToOwnRecords(ctx),
  });
}

/** POST /tags/:tagId/rename: onto an existing name, the two tags merge. */
export async function rename({
  deps,
  ctx,
  body,
  record: tag,
}: PageCall<OneTag & { body: typeof tagNameSchema }>) {
  const oldName = tag.name;
  const result = await renameTag(deps, ctx, tag, body.name);
  return redirect(
    "/tags",
    result.id === tag.id
      ? `Renamed ${oldName} to ${result.name}.`
      : `Merged ${oldName} into ${result.name}.`,
  );
}

/** POST /tags/:tagId/delete */
export async function remove({ deps, ctx, record: tag }: PageCall<OneTag>) {
  await deleteTag(deps, ctx, tag);
  return redirect("/tags", `Deleted the tag ${tag.name}.`);
}
