import type { Config } from "../../config";
import { classifyLinkedIn } from "./errors";
import { callNetwork } from "./http";
import type { AccountCredentials, NetworkClient, PublishInput, PublishResult } from "./types";

/**
 * LinkedIn's versioned REST API (CONTRACTS.md): POST /rest/posts with LinkedIn-Version and
 * X-Restli-Protocol-Version 2.0.0; an image is registered with /rest/images?action=initializeUpload,
 * its bytes PUT to the upload URL, then referenced by URN in the post's content.
 */
export function linkedInClient(config: Config): NetworkClient {
  const base = config.LINKEDIN_API_BASE_URL.replace(/\/+$/, "");
  const headers = (token: string) => ({
    authorization: `Bearer ${token}`,
    "linkedin-version": config.LINKEDIN_VERSION,
    "x-restli-protocol-version": "2.0.0",
    "content-type": "application/json",
  });

  async function uploadImage(account: AccountCredentials, bytes: Buffer, mimeType: string) {
    const init = await callNetwork(
      "linkedin",
      `${base}/rest/images?action=initializeUpload`,
      {
        method: "POST",
        headers: headers(account.accessToken),
        body: JSON.stringify({ initializeUploadRequest: { owner: account.externalId } }),
      },
      classifyLinkedIn,
    );
    const value = (init.body as { value?: { uploadUrl?: string; image?: string } } | null)?.value;
    if (!value?.uploadUrl || !value.image)
      throw new Error("LinkedIn's initializeUpload gave no upload URL");
    await callNetwork(
      "linkedin",
      value.uploadUrl,
      {
        method: "PUT",
        headers: { authorization: `Bearer ${account.accessToken}`, "content-type": mimeType },
        body: new Uint8Array(bytes),
      },
      classifyLinkedIn,
    );
    return value.image;
  }

  return {
    network: "linkedin",
    async publish(account: AccountCredentials, input: PublishInput): Promise<PublishResult> {
      const imageUrn = input.image
        ? await uploadImage(account, input.image.bytes, input.image.mimeType)
        : null;
      const answer = await callNetwork(
        "linkedin",
        `${base}/rest/posts`,
        {
          method: "POST",
          headers: headers(account.accessToken),
          body: JSON.stringify({
            author: account.externalId,
            commentary: escapeCommentary(input.text),
            visibility: "PUBLIC",
            distribution: {
              feedDistribution: "MAIN_FEED",
              targetEntities: [],
              thirdPartyDistributionChannels: [],
            },
            lifecycleState: "PUBLISHED",
            isReshareDisabledByAuthor: false,
            ...(imageUrn ? { content: { media: { id: imageUrn } } } : {}),
          }),
        },
        classifyLinkedIn,
      );
      const id = answer.headers.get("x-restli-id");
      if (!id) throw new Error("LinkedIn accepted the post without an x-restli-id");
      return { externalPostId: id, url: `https://www.linkedin.com/feed/update/${id}/` };
    },
    async verify(account: AccountCredentials): Promise<void> {
      await callNetwork(
        "linkedin",
        `${base}/v2/userinfo`,
        { method: "GET", headers: { authorization: `Bearer ${account.accessToken}` } },
        classifyLinkedIn,
      );
    },
  };
}

/**
 * LinkedIn's commentary is "little text" format: these characters are markup there and must be
 * escaped with a backslash to appear as typed (an unescaped "(" cuts the post short).
 */
export function escapeCommentary(text: string): string {
  return text.replace(/[\\|{}@[\]()<>#*_~]/g, (c) => `\\${c}`);
}
