import { auditOf } from "../../commands/social/audit";
import { deletePost, duplicatePost } from "../../commands/social/posts";
import {
  accountsOf,
  attemptsOf,
  hasPosts,
  listPosts,
  loadPost as findPost,
  memberNames,
} from "../../commands/social/queries";
import { markTargetPublished, reschedulePost, retryTargets } from "../../commands/social/retry";
import type { FormFailure, LoadCall, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { toLocalInput } from "../../lib/dates";
import { csrfToken } from "../../middleware/csrf";
import type { SocialPost } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { presentAccount, presentAttempt, presentAudit, presentPost, statusLabels } from "./present";
import type { postListQuery, postParams, rescheduleFor, targetParams } from "./schema";

type OnePost = { params: typeof postParams; record: SocialPost };
export const postPageSize = 25;

/** The post a path names, with its targets and picture (404 in another business). */
export function loadPost({ deps, ctx, params }: LoadCall<TenantContext, { postId: number }>) {
  return findPost(deps, ctx, params.postId);
}

const listUrl = (filter: { status?: string; accountId?: number; before?: number }) => {
  const query = new URLSearchParams();
  if (filter.status) query.set("status", filter.status);
  if (filter.accountId) query.set("accountId", String(filter.accountId));
  if (filter.before) query.set("before", String(filter.before));
  const text = query.toString();
  return text ? `/social?${text}` : "/social";
};

/** GET /social: posts, newest first, filtered by status and account. */
export async function showPosts({
  req,
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof postListQuery }>) {
  const { before, ...filter } = query;
  const rows = await listPosts(deps, ctx, filter, { limit: postPageSize, beforeId: before });
  const shown = rows.slice(0, postPageSize);
  const filtered = Boolean(filter.status || filter.accountId);
  const accounts = await accountsOf(deps, ctx);
  const none = shown.length === 0 && !filtered && !before ? !(await hasPosts(deps, ctx)) : false;
  const tz = ctx.business.timeZone;
  res.render("social/index", {
    title: "Social posts",
    csrfToken: csrfToken(req),
    posts: shown.map((p) => presentPost(p, tz)),
    none,
    filtered,
    noAccounts: accounts.length === 0,
    statusOptions: [{ value: "", label: "Any status" }]
      .concat(
        ["draft", "scheduled", "publishing", "published", "partially_failed", "failed"].map(
          (s) => ({
            value: s,
            label: statusLabels[s]!,
          }),
        ),
      )
      .map((o) => ({ ...o, selected: o.value === (filter.status ?? "") })),
    accountOptions: [{ value: "", label: "Any account", selected: !filter.accountId }].concat(
      accounts.map((a) => ({
        value: String(a.id),
        label: `${presentAccount(a).networkLabel} · ${a.displayName}`,
        selected: a.id === filter.accountId,
      })),
    ),
    next:
      rows.length > postPageSize
        ? listUrl({ ...filter, before: shown[shown.length - 1]!.id })
        : null,
    first: before ? listUrl(filter) : null,
  });
}

/** Filters that do not parse: the whole list (422 keeps the person's eye on what was wrong). */
export function renderListFailure(call: PageFormCall, failure: FormFailure) {
  void failure;
  call.res.status(422);
  return showPosts({ ...call, query: {}, body: {} } as PageCall<{ query: typeof postListQuery }>);
}

/** GET /social/posts/:postId: where it goes, how each network did (and why not), attempts, audit. */
export async function showPost({ req, res, deps, ctx, record }: PageCall<OnePost>) {
  const tz = ctx.business.timeZone;
  const [audit, attempts] = await Promise.all([
    auditOf(deps, ctx, record.id),
    attemptsOf(deps, ctx, record),
  ]);
  const names = await memberNames(
    deps,
    audit.map((a) => a.userId),
  );
  const accountOf = (targetId: number) => {
    const account = record.targets?.find((t) => t.id === targetId)?.account;
    return account ? `${presentAccount(account).networkLabel} · ${account.displayName}` : "—";
  };
  res.render("social/show", {
    title: `Post #${record.id}`,
    csrfToken: csrfToken(req),
    post: presentPost(record, tz),
    scheduledInput: record.scheduledAt ? toLocalInput(record.scheduledAt, tz) : "",
    timeZone: tz,
    attempts: attempts.map((a) => presentAttempt(a, tz, accountOf)),
    audit: audit.map((a) => presentAudit(a, tz, names)).reverse(),
  });
}

/** POST /social/posts/:postId/duplicate: a new draft to edit. */
export async function duplicate({ deps, ctx, record }: PageCall<OnePost>) {
  const copy = await duplicatePost(deps, ctx, record);
  return redirect(
    `/social/posts/${copy.id}/edit`,
    "A copy was saved as a draft. Change what you like, then schedule it.",
  );
}

/** GET /social/posts/:postId/delete */
export function confirmDelete({ req, res, ctx, record }: PageCall<OnePost>) {
  res.render("social/confirm-delete", {
    title: `Delete post #${record.id}?`,
    csrfToken: csrfToken(req),
    post: presentPost(record, ctx.business.timeZone),
  });
}

/** POST /social/posts/:postId/delete */
export async function remove({ deps, ctx, record }: PageCall<OnePost>) {
  await deletePost(deps, ctx, record);
  return redirect("/social", `Post #${record.id} deleted.`);
}

/** POST /social/posts/:postId/retry: only the networks that failed. */
export async function retry({ deps, ctx, record }: PageCall<OnePost>) {
  const targets = await retryTargets(deps, ctx, record);
  return redirect(
    `/social/posts/${record.id}`,
    `Publishing again to ${targets.length} network${targets.length === 1 ? "" : "s"} that failed.`,
  );
}

/** POST /social/posts/:postId/targets/:targetId/retry: one network (failed, or unknown after a check). */
export async function retryOne({
  deps,
  ctx,
  record,
  params,
}: PageCall<{ params: typeof targetParams; record: SocialPost }>) {
  await retryTargets(deps, ctx, record, params.targetId);
  return redirect(`/social/posts/${record.id}`, "Publishing to that network again.");
}

/** POST /social/posts/:postId/targets/:targetId/published: a person found it on the network. */
export async function markPublished({
  deps,
  ctx,
  record,
  params,
}: PageCall<{ params: typeof targetParams; record: SocialPost }>) {
  await markTargetPublished(deps, ctx, record, params.targetId);
  return redirect(`/social/posts/${record.id}`, "Recorded as published.");
}

/** POST /social/posts/:postId/reschedule: the calendar's drag, or the post page's form. */
export async function reschedule({
  deps,
  ctx,
  record,
  body,
}: PageCall<OnePost & { body: ReturnType<typeof rescheduleFor> }>) {
  await reschedulePost(deps, ctx, record, body.scheduledAt);
  const date = toLocalInput(body.scheduledAt, ctx.business.timeZone).slice(0, 10);
  const to =
    body.back === "calendar"
      ? `/social/calendar?view=${body.view}&date=${date}`
      : `/social/posts/${record.id}`;
  return redirect(
    to,
    `Post #${record.id} moved to ${toLocalInput(body.scheduledAt, ctx.business.timeZone).replace("T", " ")}.`,
  );
}
