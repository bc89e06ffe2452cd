import type { Request, Response } from "express";
import { listMedia } from "../../commands/social/media";
import { occasionByCode, occasionImageUrl } from "../../commands/social/occasions";
import { createPost, updatePost } from "../../commands/social/posts";
import { accountsOf } from "../../commands/social/queries";
import { accountLocks } from "../../commands/socialAccounts/accounts";
import type { FormFailure, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { toLocalInput } from "../../lib/dates";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import type { SocialPost } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { lockView } from "../socialAccounts/present";
import { presentAccount, presentMedia } from "./present";
import type { newPostQuery, postFormFor, postParams } from "./schema";

type Values = Record<string, unknown>;
type Deps = PageCall["deps"];
type PostForm = ReturnType<typeof postFormFor>;
type OnePost = { params: typeof postParams; record: SocialPost };

const asList = (value: unknown) =>
  Array.isArray(value) ? value.map(String) : value ? [String(value)] : [];

async function renderForm(
  req: Request,
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  options: {
    post?: SocialPost;
    values: Values;
    errors?: FieldErrors;
    status?: number;
    upgradeUrl?: string | null;
  },
) {
  const { post, values } = options;
  const errors = options.errors ?? {};
  const chosen = new Set(asList(values.accountIds));
  const locks = await accountLocks(deps, ctx);
  const accounts = (await accountsOf(deps, ctx)).map((a) => {
    const shown = presentAccount(a);
    const key = `variant_${a.id}`;
    return {
      ...shown,
      checked: chosen.has(String(a.id)),
      variantField: key,
      variant: typeof values[key] === "string" ? values[key] : "",
      variantError: errors[key] ?? null,
      readOnly: lockView(locks.get(a.id)),
    };
  });
  const media = (await listMedia(deps, ctx)).map((m) => ({
    ...presentMedia(m),
    checked: String(values.mediaId ?? "") === String(m.id),
  }));
  const template = occasionByCode(typeof values.templateId === "string" ? values.templateId : null);
  const heading = post ? `Edit post #${post.id}` : "New post";
  res.status(options.status ?? 200).render("social/form", {
    title: heading,
    heading,
    action: post ? `/social/posts/${post.id}` : "/social/posts",
    cancelUrl: post ? `/social/posts/${post.id}` : "/social",
    csrfToken: csrfToken(req),
    values,
    errors,
    accounts,
    noAccounts: accounts.length === 0,
    media,
    noMedia: media.length === 0,
    template: template
      ? { code: template.code, name: template.name, image: occasionImageUrl(template.code) }
      : null,
    timeZone: ctx.business.timeZone,
    intentSchedule: values.intent === "schedule",
    upgradeUrl: options.upgradeUrl ?? null,
  });
}

/** A post form that did not save: as typed, every field's error beside it. */
export function renderPostFailure(
  { req, res, deps, ctx, record }: PageFormCall<{ record: SocialPost | undefined }>,
  failure: FormFailure,
) {
  return renderForm(req, res, deps, ctx, {
    post: record,
    values: failure.values,
    errors: failure.errors,
    status: failure.status,
    // The plan gate's refusal (an account read-only beyond the plan) links to the plans.
    upgradeUrl:
      failure.error.id === "plan_limit" && typeof failure.error.details?.plansUrl === "string"
        ? failure.error.details.plansUrl
        : null,
  });
}

/** GET /social/posts/new (?template=diwali prefills the occasion's text; ?date= the day, 10:00). */
export async function showNew({
  req,
  res,
  deps,
  ctx,
  query,
}: PageCall<{ query: typeof newPostQuery }>) {
  const occasion = occasionByCode(query.template);
  const values: Values = { intent: "schedule", text: occasion?.text ?? "" };
  if (occasion) values.templateId = occasion.code;
  if (query.date) values.scheduledAt = `${query.date}T10:00`;
  if (query.mediaId) values.mediaId = String(query.mediaId);
  await renderForm(req, res, deps, ctx, { values });
}

/** POST /social/posts */
export async function create({ deps, ctx, body }: PageCall<{ body: PostForm }>) {
  const post = await createPost(deps, ctx, body.input, body.intent);
  return redirect(`/social/posts/${post.id}`, flashFor(body.intent.kind));
}

function flashFor(kind: "draft" | "now" | "schedule"): string {
  if (kind === "draft") return "Draft saved.";
  return kind === "now" ? "Publishing now. Each network's result shows below." : "Post scheduled.";
}

/** GET /social/posts/:postId/edit (drafts and scheduled posts only; others say why). */
export async function showEdit({ req, res, deps, ctx, record }: PageCall<OnePost>) {
  if (record.status !== "draft" && record.status !== "scheduled")
    return redirect(`/social/posts/${record.id}`, {
      type: "warning",
      message:
        "This post has started publishing, so it can no longer be edited. Duplicate it instead.",
    });
  const values: Values = {
    text: record.text,
    accountIds: (record.targets ?? []).map((t) => String(t.socialAccountId)),
    mediaId: record.mediaId ? String(record.mediaId) : "",
    templateId: record.templateId ?? "",
    intent: record.status === "draft" ? "draft" : "schedule",
    scheduledAt: record.scheduledAt ? toLocalInput(record.scheduledAt, ctx.business.timeZone) : "",
  };
  for (const target of record.targets ?? [])
    values[`variant_${target.socialAccountId}`] = target.variantText ?? "";
  await renderForm(req, res, deps, ctx, { post: record, values });
}

/** POST /social/posts/:postId */
export async function update({ deps, ctx, body, record }: PageCall<OnePost & { body: PostForm }>) {
  await updatePost(deps, ctx, record, body.input, body.intent);
  return redirect(`/social/posts/${record.id}`, flashFor(body.intent.kind));
}
