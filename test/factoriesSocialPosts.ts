import type { Business, Models, SocialAccount, SocialPost, SocialPostStatus } from "../src/models";

/**
 * A post of `business` to `accounts`, with one target each: scheduled at `scheduledAt` (pending,
 * due then) unless it is a draft. Written the way commands/social/posts.ts writes it.
 */
export async function buildSocialPost(
  models: Models,
  business: Business,
  accounts: readonly SocialAccount[],
  options: {
    text?: string;
    status?: SocialPostStatus;
    scheduledAt?: Date | null;
    authorUserId?: number | null;
    now?: Date;
  } = {},
): Promise<SocialPost> {
  const now = options.now ?? new Date("2026-12-01T00:00:00Z");
  const status = options.status ?? (options.scheduledAt ? "scheduled" : "draft");
  const due = status === "draft" ? null : (options.scheduledAt ?? now);
  const post = await models.SocialPost.create({
    businessId: business.id,
    authorUserId: options.authorUserId === undefined ? business.ownerId : options.authorUserId,
    text: options.text ?? "Diwali greetings from all of us!",
    status,
    scheduledAt: due,
    templateId: null,
    mediaId: null,
    createdAt: now,
    updatedAt: now,
  });
  for (const account of accounts)
    await models.SocialPostTarget.create({
      businessId: business.id,
      postId: post.id,
      socialAccountId: account.id,
      variantText: null,
      status: "pending",
      nextAttemptAt: due,
      createdAt: now,
      updatedAt: now,
    });
  return post;
}
