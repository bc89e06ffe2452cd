import type { Config } from "../../config";
import { classifyGraph } from "./errors";
import { callNetwork, field } from "./http";
import type { AccountCredentials, NetworkClient, PublishInput, PublishResult } from "./types";

/** The Graph API version every Facebook and Instagram call names (CONTRACTS.md: v20.0). */
export const graphVersion = "v20.0";

/**
 * Facebook Pages (CONTRACTS.md): POST /{page-id}/feed with `message` for text, or /{page-id}/photos
 * with `url` and `caption` for a post with an image (Facebook fetches the URL), with the Page's
 * access token.
 */
export function facebookClient(config: Config): NetworkClient {
  const base = `${config.FACEBOOK_API_BASE_URL.replace(/\/+$/, "")}/${graphVersion}`;
  const classify = classifyGraph.bind(null, "facebook");
  return {
    network: "facebook",
    async publish(account: AccountCredentials, input: PublishInput): Promise<PublishResult> {
      const params: Record<string, string> = input.image
        ? { url: input.image.publicUrl, caption: input.text }
        : { message: input.text };
      const edge = input.image ? "photos" : "feed";
      const answer = await callNetwork(
        "facebook",
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
      // A photo answers {id: photo id, post_id: page_post}; a feed post answers {id: page_post}.
      const id = field(answer.body, "post_id") || field(answer.body, "id");
      if (!id) throw new Error("Facebook accepted the post without an id");
      return { externalPostId: id, url: `https://www.facebook.com/${id}` };
    },
    async verify(account: AccountCredentials): Promise<void> {
      await callNetwork(
        "facebook",
        `${base}/me?fields=id,name`,
        { method: "GET", headers: { authorization: `Bearer ${account.accessToken}` } },
        classify,
      );
    },
  };
}
