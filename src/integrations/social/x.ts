import type { Config } from "../../config";
import { classifyX } from "./errors";
import { callNetwork, field } from "./http";
import { uploadXMedia } from "./xMedia";
import type { AccountCredentials, NetworkClient, PublishInput, PublishResult } from "./types";

/**
 * X API v2 (CONTRACTS.md) with a user-context OAuth 2.0 token: the picture or video first through
 * POST /2/media/upload (xMedia.ts), then POST /2/tweets with its id.
 */
export function xClient(config: Config): NetworkClient {
  const base = config.X_API_BASE_URL.replace(/\/+$/, "");
  const json = (token: string) => ({
    authorization: `Bearer ${token}`,
    "content-type": "application/json",
  });
  return {
    network: "x",
    async publish(account: AccountCredentials, input: PublishInput): Promise<PublishResult> {
      // A picture in one request; a video in chunks (INIT, APPEND, FINALIZE, STATUS): xMedia.ts.
      const mediaId = input.image
        ? await uploadXMedia(base, account.accessToken, input.image)
        : null;
      const answer = await callNetwork(
        "x",
        `${base}/2/tweets`,
        {
          method: "POST",
          headers: json(account.accessToken),
          body: JSON.stringify({
            text: input.text,
            ...(mediaId ? { media: { media_ids: [mediaId] } } : {}),
          }),
        },
        classifyX,
      );
      const id = field(answer.body, "data", "id");
      if (!id) throw new Error("X accepted the post without an id");
      return { externalPostId: id, url: `https://x.com/i/web/status/${id}` };
    },
    async verify(account: AccountCredentials): Promise<void> {
      await callNetwork(
        "x",
        `${base}/2/users/me`,
        { method: "GET", headers: { authorization: `Bearer ${account.accessToken}` } },
        classifyX,
      );
    },
  };
}
