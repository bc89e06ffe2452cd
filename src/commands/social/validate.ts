import { Op, type Transaction } from "sequelize";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { SocialAccount, SocialMedia } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { checkMedia, checkText, networkLabels } from "./networks";

export const postMessages = {
  text: "Write the post's text (or a text for each network).",
  accounts: "Choose at least one connected account to post to.",
  accountGone: "One of the chosen accounts is not connected to this business any more.",
  media: "That picture or video is not in this business's media library.",
  when: "Choose a date and time in the future, in the business's time zone.",
  mediaRequired: (network: string) => `${network} needs a picture or video with every post.`,
  videoNotYet: (network: string) =>
    `${network}: videos are published to X only so far (LinkedIn, Facebook and Instagram take a picture). Choose a picture, or post the video to X alone.`,
};

/** What a person writes: the text, where it goes, per-account variants, the picture. */
export interface PostInput {
  text: string;
  accountIds: number[];
  /** Account id → that account's own text (absent or empty: the post's text). */
  variants: Record<number, string>;
  mediaId: number | null;
  templateId: string | null;
}

/** What the person wants done with it. */
export type PostIntent = { kind: "draft" } | { kind: "now" } | { kind: "schedule"; at: Date };

/** Characters as people count them (an emoji is one). */
export const textLength = (text: string): number => [...text].length;

/** The accounts of the business a post names; a field error when one is not the business's. */
export async function accountsFor(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  ids: readonly number[],
  transaction?: Transaction,
): Promise<SocialAccount[]> {
  if (ids.length === 0) return [];
  const accounts = await deps.models.SocialAccount.findAll({
    where: tenantWhere(ctx, deps.models.SocialAccount, { id: { [Op.in]: [...new Set(ids)] } }),
    transaction,
  });
  if (accounts.length !== new Set(ids).size)
    throw AppError.validation({ accountIds: postMessages.accountGone });
  return accounts;
}

export async function mediaFor(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  id: number | null,
  transaction?: Transaction,
): Promise<SocialMedia | null> {
  if (id === null) return null;
  const media = await deps.models.SocialMedia.findOne({
    where: tenantWhere(ctx, deps.models.SocialMedia, { id }),
    transaction,
  });
  if (!media) throw AppError.validation({ mediaId: postMessages.media });
  return media;
}

/**
 * Every rule a post must meet before it may be scheduled: text within each network's limit (its
 * variant's, when it has one), media each network takes, a time in the future. Drafts only need
 * some text. Every broken rule is reported at once, by field.
 */
export function checkPost(
  input: PostInput,
  accounts: readonly SocialAccount[],
  media: SocialMedia | null,
  intent: PostIntent,
  now: Date,
): void {
  const errors: Record<string, string> = {};
  const variantOf = (id: number) => input.variants[id]?.trim() || "";
  const allVariants = accounts.length > 0 && accounts.every((a) => variantOf(a.id));
  if (!input.text.trim() && !allVariants) errors.text = postMessages.text;
  if (intent.kind !== "draft") {
    if (accounts.length === 0) errors.accountIds = postMessages.accounts;
    if (intent.kind === "schedule" && intent.at.getTime() <= now.getTime())
      errors.scheduledAt = postMessages.when;
    for (const account of accounts) {
      const label = `${networkLabels[account.network]} (${account.displayName})`;
      const own = variantOf(account.id);
      const field = own ? `variant_${account.id}` : "text";
      const textProblem = checkText(account.network, own || input.text.trim())[0];
      if (textProblem && !errors[field]) errors[field] = `${label}: ${textProblem}`;
      if (!media && account.network === "instagram")
        errors.mediaId ??= postMessages.mediaRequired(label);
      const mediaProblem = media
        ? checkMedia(account.network, {
            mimeType: media.mimeType,
            byteSize: media.bytes,
            width: media.width,
            height: media.height,
          })[0]
        : undefined;
      if (mediaProblem) errors.mediaId ??= mediaProblem;
      // CONTRACTS.md gives each network's picture post; only X's video upload is built (xMedia.ts).
      if (media?.mimeType.startsWith("video/") && account.network !== "x")
        errors.mediaId ??= postMessages.videoNotYet(label);
    }
  }
  if (Object.keys(errors).length) throw AppError.validation(errors);
}
