import type { SocialStandIn } from "./server";
import { handleChunked, mediaReady, xUploads } from "./xChunked";
import { json, type Reply, type StandInFailure, type StandInRequest } from "./types";

/**
 * X API v2: POST /2/tweets, POST /2/media/upload (JSON body with base64 media for a picture; the
 * chunked multipart commands for a video, xChunked.ts) and GET /2/users/me.
 * Errors are RFC 7807 problems {title, detail, type, status}, as X sends them.
 */
export function problem(
  status: number,
  title: string,
  detail: string,
  type = "about:blank",
  headers: Record<string, string> = {},
): Reply {
  return json(status, { title, detail, type, status }, headers);
}

const rateLimited = (reset: number) =>
  problem(429, "Too Many Requests", "Too Many Requests", "about:blank", {
    "x-rate-limit-limit": "100",
    "x-rate-limit-remaining": "0",
    "x-rate-limit-reset": String(Math.floor(reset / 1000) + 900),
  });

function failure(standIn: SocialStandIn, kind: StandInFailure): Reply {
  switch (kind) {
    case "expired_token":
      return problem(401, "Unauthorized", "Unauthorized");
    case "permission":
      return problem(
        403,
        "Forbidden",
        "You are not permitted to perform this action.",
        "https://api.twitter.com/2/problems/client-forbidden",
      );
    case "media_rejected":
      return problem(
        400,
        "Invalid Request",
        "One or more parameters to your request was invalid: media type unrecognized.",
        "https://api.twitter.com/2/problems/invalid-request",
      );
    case "content_policy":
      return problem(
        403,
        "Forbidden",
        "You are not permitted to create this Post: it violates the X Rules.",
        "https://api.twitter.com/2/problems/disallowed-resource",
      );
    case "duplicate":
      return problem(
        403,
        "Forbidden",
        "You are not allowed to create a Tweet with duplicate content.",
      );
    case "rate_limit":
      return rateLimited(standIn.now());
    case "outage":
      return problem(503, "Service Unavailable", "Service Unavailable");
  }
}

const imageTypes = ["image/jpeg", "image/png", "image/webp", "image/gif"];

export async function handleX(standIn: SocialStandIn, r: StandInRequest): Promise<Reply> {
  const grant = await standIn.grantFor(r.token);
  if (!grant || grant.network !== "x") return problem(401, "Unauthorized", "Unauthorized");
  const userId = [...grant.subjects][0] as string;
  if (r.method === "GET" && r.path === "/2/users/me")
    return json(200, {
      data: {
        id: userId,
        name: grant.name,
        username: grant.name.replace(/\W+/g, "").toLowerCase(),
      },
    });

  const kind = standIn.takeFailure("x");
  if (kind) return failure(standIn, kind);

  const multipart = /^multipart\/form-data/i.test(String(r.req.headers["content-type"] ?? ""));
  if (r.path === "/2/media/upload" && (multipart || r.method === "GET")) {
    if (grant.scopes.length > 0 && !grant.scopes.includes("media.write"))
      return failure(standIn, "permission");
    return handleChunked(standIn, r, userId);
  }

  let body: Record<string, unknown> | null;
  try {
    body = JSON.parse(r.body.toString("utf8") || "null") as Record<string, unknown> | null;
  } catch {
    return problem(
      400,
      "Invalid Request",
      "The request body is not valid JSON.",
      "https://api.twitter.com/2/problems/invalid-request",
    );
  }
  const invalid = (detail: string) =>
    problem(400, "Invalid Request", detail, "https://api.twitter.com/2/problems/invalid-request");

  if (r.method === "POST" && r.path === "/2/media/upload") {
    if (grant.scopes.length > 0 && !grant.scopes.includes("media.write"))
      return failure(standIn, "permission");
    if (typeof body?.media !== "string" || body.media.length === 0)
      return invalid("The media field is required.");
    if (!imageTypes.includes(String(body.media_type))) return failure(standIn, "media_rejected");
    const size = Buffer.from(body.media, "base64").length;
    if (size > 5 * 1024 * 1024) return invalid("File size exceeds 5242880 bytes.");
    const id = standIn.nextId();
    xUploads(standIn).set(id, {
      owner: userId,
      kind: "simple",
      mediaType: String(body.media_type),
      totalBytes: size,
      segments: [],
      state: "succeeded",
      checksLeft: 0,
      steps: ["UPLOAD"],
    });
    return json(200, {
      data: {
        id,
        media_key: `3_${id}`,
        size,
        expires_after_secs: 86_400,
        image: { image_type: body.media_type },
      },
    });
  }

  if (r.method === "POST" && r.path === "/2/tweets") {
    if (typeof body?.text !== "string") return invalid("The text field is required.");
    if ([...body.text].length > 280) return invalid("The text is longer than 280 characters.");
    const media: string[] = [];
    if (body.media !== undefined) {
      const ids = (body.media as { media_ids?: unknown }).media_ids;
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > 4)
        return invalid("media.media_ids takes 1 to 4 ids.");
      for (const id of ids) {
        const notReady = mediaReady(standIn, String(id), userId);
        if (notReady) return invalid(notReady);
        media.push(String(id));
      }
    }
    if (
      standIn.posts.some((p) => p.network === "x" && p.accountId === userId && p.text === body.text)
    )
      return failure(standIn, "duplicate");
    if (!standIn.countPublish("x")) return rateLimited(standIn.now());
    const id = standIn.nextId();
    standIn.posts.push({
      network: "x",
      id,
      accountId: userId,
      text: body.text,
      media,
      at: standIn.now(),
    });
    return json(201, { data: { id, text: body.text, edit_history_tweet_ids: [id] } });
  }
  return problem(404, "Not Found Error", `No route ${r.method} ${r.path}`);
}
