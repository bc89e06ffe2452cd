import type { Deps } from "../../deps";
import { label, textRules } from "../../integrations/social/rules";
import { readFile } from "node:fs/promises";
import { socialClient, type PublishResult } from "../../integrations/social";
import { freshCredentials } from "../socialAccounts/tokens";
import type { SocialAccount, SocialMedia, SocialNetwork } from "../../models";
import { mediaFile, publicMediaUrl } from "./media";

/**
 * The publisher's view of the network clients (src/integrations/social): one place adapts their
 * interface — credentials opened from the sealed token, the picture read from the library with the
 * public address Facebook and Instagram fetch it from.
 */
export interface PublishInput {
  text: string;
  media?: SocialMedia;
}

export type { PublishResult };

/** A failure the client explained (cause and fix are shown on the post). */
export interface ExplainedFailure {
  network: SocialNetwork;
  cause: string;
  retryable: boolean;
  code: string;
  message: string;
  fix: string;
}

export function isExplainedFailure(error: unknown): error is ExplainedFailure {
  if (typeof error !== "object" || error === null) return false;
  const e = error as Record<string, unknown>;
  return (
    typeof e.cause === "string" &&
    typeof e.retryable === "boolean" &&
    typeof e.fix === "string" &&
    typeof e.message === "string"
  );
}

export const networkLabels: Record<SocialNetwork, string> = {
  linkedin: label("linkedin"),
  facebook: label("facebook"),
  instagram: label("instagram"),
  x: label("x"),
};

/** Characters a post's text may have on each network (the clients' own rules). */
export const textLimits: Record<SocialNetwork, number> = {
  linkedin: textRules.linkedin.maxLength,
  facebook: textRules.facebook.maxLength,
  instagram: textRules.instagram.maxLength,
  x: textRules.x.maxLength,
};

export { checkMedia, checkText, imageSize, mediaRules } from "../../integrations/social/rules";

/** Instagram's documented cap: posts per account per rolling 24 hours. */
export const instagramDailyLimit = 50;

export type Publish = (account: SocialAccount, input: PublishInput) => Promise<PublishResult>;

/**
 * Publishes through the account's network client (its base URL from the settings) with fresh
 * credentials: a token about to expire is refreshed first (the new one sealed on the account);
 * a refused refresh marks the account "needs reconnecting" and throws the explained failure.
 */
export function publisherFor(
  deps: Pick<Deps, "config" | "clock">,
  network: SocialNetwork,
): Publish {
  const client = socialClient(deps.config, network);
  return async (account, input) => {
    const credentials = await freshCredentials(deps, account);
    const media = input.media;
    const image = media
      ? {
          bytes: await readFile(mediaFile(deps.config, media.filePath)),
          mimeType: media.mimeType,
          publicUrl: publicMediaUrl(deps.config, media),
        }
      : undefined;
    return client.publish(credentials, { text: input.text, image });
  };
}
