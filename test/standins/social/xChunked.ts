import type { SocialStandIn } from "./server";
import { json, type Reply, type StandInRequest } from "./types";
import { problem } from "./x";

/**
 * X's chunked media upload (v2 POST /2/media/upload, multipart; GET …?command=STATUS), as
 * docs.x.com's "Chunked media upload" describes it, enforcing the steps: INIT (video type, total
 * size, category) → APPEND each segment (index in order, ≤ 5 MB) → FINALIZE (the segments must
 * add up to the size INIT announced) → STATUS while processing. A post may use the media only
 * once processing succeeded. `xVideo` sets how many STATUS checks processing takes and whether
 * it fails; `xUploads` keeps every session for assertions.
 */
export interface XUpload {
  owner: string;
  kind: "simple" | "chunked";
  mediaType: string;
  totalBytes: number;
  segments: Buffer[];
  state: "appending" | "processing" | "succeeded" | "failed";
  checksLeft: number;
  /** Every step in order, e.g. INIT, APPEND 0, APPEND 1, FINALIZE, STATUS, STATUS. */
  steps: string[];
}

const uploads = new WeakMap<SocialStandIn, Map<string, XUpload>>();

export function xUploads(standIn: SocialStandIn): Map<string, XUpload> {
  let map = uploads.get(standIn);
  if (!map) {
    map = new Map();
    uploads.set(standIn, map);
  }
  return map;
}

const videoTypes = ["video/mp4", "video/quicktime"];
const maxChunk = 5 * 1024 * 1024;
const invalid = (detail: string) =>
  problem(400, "Invalid Request", detail, "https://api.twitter.com/2/problems/invalid-request");

/** Whether a media id may go on a post (uploaded, and processed when it was a video). */
export function mediaReady(standIn: SocialStandIn, id: string, owner: string): string | null {
  const upload = xUploads(standIn).get(id);
  if (!upload || upload.owner !== owner) return `Your media IDs are invalid: ${id}.`;
  if (upload.state !== "succeeded")
    return `Media ${id} is not ready: its processing has not succeeded.`;
  return null;
}

export async function handleChunked(
  standIn: SocialStandIn,
  r: StandInRequest,
  owner: string,
): Promise<Reply> {
  let fields: Map<string, string>;
  let chunk: Buffer | null = null;
  if (r.method === "GET") {
    fields = new Map(r.query.entries());
  } else {
    const form = await new Request("http://standin/", {
      method: "POST",
      headers: { "content-type": String(r.req.headers["content-type"]) },
      body: new Uint8Array(r.body),
    }).formData();
    fields = new Map();
    for (const [name, value] of form.entries()) {
      if (typeof value === "string") fields.set(name, value);
      else if (name === "media") chunk = Buffer.from(await value.arrayBuffer());
    }
  }
  const commandName = fields.get("command");
  if (commandName === "INIT" && r.method === "POST") {
    const mediaType = fields.get("media_type") ?? "";
    const total = Number(fields.get("total_bytes"));
    if (!videoTypes.includes(mediaType))
      return invalid(
        "One or more parameters to your request was invalid: media type unrecognized.",
      );
    if (!Number.isInteger(total) || total <= 0 || total > 512 * 1024 * 1024)
      return invalid("total_bytes must be a positive size up to 536870912.");
    if (!["tweet_video", "amplify_video"].includes(fields.get("media_category") ?? ""))
      return invalid("media_category must be tweet_video or amplify_video for a video.");
    const id = standIn.nextId();
    xUploads(standIn).set(id, {
      owner,
      kind: "chunked",
      mediaType,
      totalBytes: total,
      segments: [],
      state: "appending",
      checksLeft: standIn.xVideo.checks,
      steps: ["INIT"],
    });
    return json(200, { data: { id, media_key: `13_${id}`, expires_after_secs: 86_400 } });
  }

  const id = fields.get("media_id") ?? "";
  const upload = xUploads(standIn).get(id);
  if (!upload || upload.owner !== owner || upload.kind !== "chunked")
    return invalid(`Your media IDs are invalid: ${id}.`);

  if (commandName === "APPEND" && r.method === "POST") {
    const index = Number(fields.get("segment_index"));
    if (upload.state !== "appending") return invalid("APPEND after FINALIZE.");
    if (index !== upload.segments.length)
      return invalid(`segment_index ${fields.get("segment_index")} is out of order.`);
    if (!chunk || chunk.length === 0) return invalid("The media field is required.");
    if (chunk.length > maxChunk) return invalid("A segment may be at most 5 MB.");
    upload.segments.push(chunk);
    upload.steps.push(`APPEND ${index}`);
    return { status: 204 };
  }

  if (commandName === "FINALIZE" && r.method === "POST") {
    if (upload.state !== "appending") return invalid("This upload was already finalized.");
    const size = upload.segments.reduce((sum, s) => sum + s.length, 0);
    if (size !== upload.totalBytes)
      return invalid("Segments do not add up to provided total file size.");
    upload.steps.push("FINALIZE");
    upload.state = "processing";
    return json(200, {
      data: {
        id,
        media_key: `13_${id}`,
        size,
        expires_after_secs: 86_400,
        processing_info: { state: "pending", check_after_secs: 1 },
      },
    });
  }

  if (commandName === "STATUS" && r.method === "GET") {
    if (upload.state === "appending") return invalid("STATUS before FINALIZE.");
    upload.steps.push("STATUS");
    if (upload.state === "processing") {
      upload.checksLeft -= 1;
      if (upload.checksLeft <= 0) upload.state = standIn.xVideo.fails ? "failed" : "succeeded";
    }
    const processing =
      upload.state === "processing"
        ? { state: "in_progress", check_after_secs: 1, progress_percent: 50 }
        : upload.state === "failed"
          ? {
              state: "failed",
              progress_percent: 100,
              error: { code: 1, name: "InvalidMedia", message: "Unsupported video format" },
            }
          : { state: "succeeded", progress_percent: 100 };
    return json(200, { data: { id, media_key: `13_${id}`, processing_info: processing } });
  }
  return invalid(`Unknown command ${commandName ?? "(none)"} for ${r.method}.`);
}
