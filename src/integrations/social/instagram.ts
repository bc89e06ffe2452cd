import type { Config } from "../../config";
import { classifyGraph } from "./errors";
import { graphVersion } from "./facebook";
import { callNetwork, field } from "./http";
import {
  SocialError,
  type AccountCredentials,
  type NetworkClient,
  type PublishInput,
  type PublishResult,
} from "./types";

/** Instagram's used and allowed posts in the rolling 24 hours (content_publishing_limit). */
export interface PublishingQuota {
  used: number;
  total: number;
}

export interface InstagramClient extends NetworkClient {
  quota(account: AccountCredentials): Promise<PublishingQuota>;
}

/**
 * Instagram business accounts through the Graph API (CONTRACTS.md): a media container from a
 * public image URL and caption (POST /{ig-user-id}/media), then POST /{ig-user-id}/media_publish
 * with its creation_id. Instagram has no text-only posts. 50 posts per account per 24 hours.
 */
export function instagramClient(config: Config): InstagramClient {
  const base = `${config.INSTAGRAM_API_BASE_URL.replace(/\/+$/, "")}/${graphVersion}`;
  const classify = classifyGraph.bind(null, "instagram");
  const post = (account: AccountCredentials, edge: string, params: Record<string, string>) =>
    callNetwork(
      "instagram",
      `${base}/${encodeURIComponent(account.externalId)}/${edge}`,
      {
        method: "POST",
        headers: {
          authorization: `Bearer ${account.accessToken}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams(params).toString(),
      },
      classify,
    );
  const quota = async (account: AccountCredentials): Promise<PublishingQuota> => {
    const answer = await callNetwork(
      "instagram",
      `${base}/${encodeURIComponent(account.externalId)}/content_publishing_limit?fields=quota_usage,config`,
      { method: "GET", headers: { authorization: `Bearer ${account.accessToken}` } },
      classify,
    );
    const row = (
      answer.body as { data?: { quota_usage?: number; config?: { quota_total?: number } }[] }
    )?.data?.[0];
    return { used: Number(row?.quota_usage ?? 0), total: Number(row?.config?.quota_total ?? 50) };
  };
  return {
    network: "instagram",
    quota,
    async publish(account: AccountCredentials, input: PublishInput): Promise<PublishResult> {
      if (!input.image)
        throw new SocialError({
          network: "instagram",
          cause: "media",
          retryable: false,
          code: "no_image",
          message: "Instagram posts need an image.",
          fix: "Add a JPEG image to the post for Instagram.",
        });
      const container = await post(account, "media", {
        image_url: input.image.publicUrl,
        caption: input.text,
      });
      const creationId = field(container.body, "id");
      if (!creationId) throw new Error("Instagram created no media container");
      const published = await post(account, "media_publish", { creation_id: creationId });
      const id = field(published.body, "id");
      if (!id) throw new Error("Instagram published without a media id");
      return { externalPostId: id };
    },
    async verify(account: AccountCredentials): Promise<void> {
      await quota(account);
    },
  };
}
