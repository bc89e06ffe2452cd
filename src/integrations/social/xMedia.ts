import { classifyX } from "./errors";
import { callNetwork, field } from "./http";
import { SocialError, type PublishImage } from "./types";

/**
 * Media for X (CONTRACTS.md: "media first via the v2 media upload endpoint"; the details are X's
 * v2 media upload docs). A picture goes in one request (JSON, base64, category tweet_image). A
 * video must go in chunks (docs.x.com "Chunked media upload"): INIT (type, total size, category
 * tweet_video) → APPEND each chunk (multipart, segment_index from 0) → FINALIZE → and, when the
 * answer carries processing_info, STATUS until X has processed it. Returns the media id.
 */

/** X takes chunks up to 5 MB; 4 MB leaves room for the multipart envelope. */
export const xChunkBytes = 4 * 1024 * 1024;
/**
 * How long to wait for X to process a video before giving up on this try (retried later: nothing
 * was posted). Kept under the publisher's default SOCIAL_PUBLISH_TIMEOUT_MS (30 s).
 */
export const xProcessingBudgetMs = 20_000;

type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function uploadXMedia(
  base: string,
  token: string,
  media: PublishImage,
  options: { chunkBytes?: number; sleep?: Sleep } = {},
): Promise<string> {
  const url = `${base}/2/media/upload`;
  const auth = { authorization: `Bearer ${token}` };
  if (!media.mimeType.startsWith("video/")) {
    const upload = await callNetwork(
      "x",
      url,
      {
        method: "POST",
        headers: { ...auth, "content-type": "application/json" },
        body: JSON.stringify({
          media: media.bytes.toString("base64"),
          media_category: "tweet_image",
          media_type: media.mimeType,
        }),
      },
      classifyX,
    );
    return required(field(upload.body, "data", "id"), "the upload");
  }

  const command = (fields: Record<string, string>, chunk?: Buffer) => {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    if (chunk) form.append("media", new Blob([new Uint8Array(chunk)]), "chunk");
    return callNetwork("x", url, { method: "POST", headers: auth, body: form }, classifyX);
  };
  const init = await command({
    command: "INIT",
    media_type: media.mimeType,
    total_bytes: String(media.bytes.length),
    media_category: "tweet_video",
  });
  const id = required(field(init.body, "data", "id"), "INIT");
  const size = options.chunkBytes ?? xChunkBytes;
  for (let offset = 0, index = 0; offset < media.bytes.length; offset += size, index += 1)
    await command(
      { command: "APPEND", media_id: id, segment_index: String(index) },
      media.bytes.subarray(offset, offset + size),
    );
  const finalized = await command({ command: "FINALIZE", media_id: id });
  await awaitProcessing(base, auth, id, finalized.body, options.sleep ?? realSleep);
  return id;
}

interface Processing {
  state?: string;
  check_after_secs?: number;
  error?: { message?: string; name?: string };
}

function processingOf(body: unknown): Processing | null {
  const data = (body as { data?: { processing_info?: Processing } } | null)?.data;
  return data?.processing_info ?? null;
}

/** STATUS until succeeded (or no processing_info: ready at once), failed, or out of time. */
async function awaitProcessing(
  base: string,
  auth: Record<string, string>,
  id: string,
  finalized: unknown,
  sleep: Sleep,
): Promise<void> {
  let info = processingOf(finalized);
  let waited = 0;
  while (info && info.state !== "succeeded") {
    if (info.state === "failed")
      throw new SocialError({
        network: "x",
        cause: "media",
        retryable: false,
        code: `processing ${info.error?.name ?? "failed"}`,
        message: `X could not process the video: ${info.error?.message ?? "no reason given"}.`,
        fix: "Use an MP4 (H.264 video, AAC audio) up to 140 seconds and 512 MB, then retry.",
      });
    const wait = Math.max(1, info.check_after_secs ?? 1) * 1000;
    if (waited + wait > xProcessingBudgetMs)
      throw new SocialError({
        network: "x",
        cause: "network_outage",
        retryable: true,
        code: "processing_slow",
        message: `X was still processing the video after ${Math.round(waited / 1000)} s; nothing was posted.`,
        fix: "It will be tried again shortly (the video is uploaded again).",
      });
    await sleep(wait);
    waited += wait;
    const status = await callNetwork(
      "x",
      `${base}/2/media/upload?command=STATUS&media_id=${encodeURIComponent(id)}`,
      { method: "GET", headers: auth },
      classifyX,
    );
    info = processingOf(status.body) ?? { state: "succeeded" };
  }
}

function required(id: string, step: string): string {
  if (!id) throw new Error(`X answered ${step} without a media id`);
  return id;
}
