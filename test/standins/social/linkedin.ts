import type { SocialStandIn } from "./server";
import { json, type Reply, type StandInFailure, type StandInRequest } from "./types";

/**
 * LinkedIn's Posts API (rest/posts, rest/images) and OpenID userinfo. Errors in LinkedIn's shape:
 * {status, serviceErrorCode, code, message}.
 */
const images = new WeakMap<SocialStandIn, Map<string, { owner: string; bytes: Buffer | null }>>();

function imagesOf(standIn: SocialStandIn): Map<string, { owner: string; bytes: Buffer | null }> {
  let map = images.get(standIn);
  if (!map) {
    map = new Map();
    images.set(standIn, map);
  }
  return map;
}

export function linkedInError(status: number, code: string, message: string, service = 0): Reply {
  return json(status, { status, serviceErrorCode: service, code, message });
}

const failures: Record<StandInFailure, Reply> = {
  expired_token: linkedInError(
    401,
    "EXPIRED_ACCESS_TOKEN",
    "The token used in the request has expired",
    65601,
  ),
  permission: linkedInError(
    403,
    "ACCESS_DENIED",
    "Not enough permissions to access: partnerApiPostsExternal.CREATE.20240601",
    100,
  ),
  media_rejected: linkedInError(
    400,
    "MEDIA_ASSET_PROCESSING_FAILED",
    "The image could not be processed",
    0,
  ),
  content_policy: linkedInError(
    422,
    "UNPROCESSABLE_ENTITY",
    "Content violates the Professional Community Policies",
    0,
  ),
  duplicate: linkedInError(
    422,
    "DUPLICATE_POST",
    "Content is a duplicate of urn:li:share:7000000000000000000",
    0,
  ),
  rate_limit: linkedInError(
    429,
    "TOO_MANY_REQUESTS",
    "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.",
    0,
  ),
  outage: linkedInError(503, "SERVICE_UNAVAILABLE", "Service Unavailable", 0),
};

export async function handleLinkedIn(standIn: SocialStandIn, r: StandInRequest): Promise<Reply> {
  const grant = await standIn.grantFor(r.token);
  if (!grant || grant.network !== "linkedin")
    return linkedInError(401, "INVALID_ACCESS_TOKEN", "Invalid access token", 65600);

  if (r.method === "GET" && r.path === "/v2/userinfo") {
    const urn = [...grant.subjects][0] ?? "";
    return json(200, { sub: urn.replace("urn:li:person:", ""), name: grant.name });
  }

  if (r.method === "PUT" && r.path.startsWith("/upload/")) {
    const image = imagesOf(standIn).get(decodeURIComponent(r.path.slice("/upload/".length)));
    if (!image) return linkedInError(404, "NOT_FOUND", "No upload at this URL");
    if (r.body.length === 0) return linkedInError(400, "EMPTY_UPLOAD", "The upload had no bytes");
    image.bytes = r.body;
    return { status: 201 };
  }

  const version = r.req.headers["linkedin-version"];
  if (typeof version !== "string" || !/^\d{6}(\.\d{2})?$/.test(version))
    return linkedInError(
      426,
      "VERSION_MISSING",
      "A version must be present. Please specify a version by adding the LinkedIn-Version header.",
    );
  if (r.req.headers["x-restli-protocol-version"] !== "2.0.0")
    return linkedInError(400, "PROTOCOL_VERSION", "X-Restli-Protocol-Version 2.0.0 is required");

  const failure = standIn.takeFailure("linkedin");
  if (failure) return failures[failure];

  let body: Record<string, unknown>;
  try {
    body = JSON.parse(r.body.toString("utf8") || "null") as Record<string, unknown>;
  } catch {
    return linkedInError(400, "INVALID_JSON", "Request body is not JSON");
  }

  if (
    r.method === "POST" &&
    r.path === "/rest/images" &&
    r.query.get("action") === "initializeUpload"
  ) {
    const owner = (body?.initializeUploadRequest as { owner?: unknown } | undefined)?.owner;
    if (typeof owner !== "string" || !grant.subjects.has(owner))
      return linkedInError(
        403,
        "ACCESS_DENIED",
        "The owner is not the token's member or organization",
        100,
      );
    const urn = `urn:li:image:C4E${standIn.nextId()}`;
    imagesOf(standIn).set(urn, { owner, bytes: null });
    return json(200, {
      value: {
        uploadUrlExpiresAt: standIn.now() + 86_400_000,
        uploadUrl: `${standIn.baseUrl("linkedin")}/upload/${encodeURIComponent(urn)}`,
        image: urn,
      },
    });
  }

  if (r.method === "POST" && r.path === "/rest/posts")
    return createPost(standIn, grant.subjects, body);
  return linkedInError(404, "NOT_FOUND", `No resource ${r.method} ${r.path}`);
}

function createPost(
  standIn: SocialStandIn,
  subjects: Set<string>,
  body: Record<string, unknown> | null,
): Reply {
  const invalid = (message: string) => linkedInError(422, "FIELD_VALIDATION", message, 0);
  if (!body) return invalid("A post body is required");
  const author = body.author;
  if (typeof author !== "string" || !/^urn:li:(person|organization):.+/.test(author))
    return invalid("/author must be a person or organization URN");
  if (!subjects.has(author))
    return linkedInError(403, "ACCESS_DENIED", "Not allowed to post as this author", 100);
  if (typeof body.commentary !== "string") return invalid("/commentary is required");
  if (body.commentary.length > 3000) return invalid("/commentary is longer than 3000 characters");
  if (!["PUBLIC", "CONNECTIONS", "LOGGED_IN"].includes(String(body.visibility)))
    return invalid("/visibility must be PUBLIC, CONNECTIONS or LOGGED_IN");
  const distribution = body.distribution as Record<string, unknown> | undefined;
  if (
    distribution?.feedDistribution !== "MAIN_FEED" ||
    !Array.isArray(distribution.targetEntities) ||
    !Array.isArray(distribution.thirdPartyDistributionChannels)
  )
    return invalid(
      "/distribution needs feedDistribution MAIN_FEED, targetEntities and thirdPartyDistributionChannels",
    );
  if (body.lifecycleState !== "PUBLISHED") return invalid("/lifecycleState must be PUBLISHED");
  const media: string[] = [];
  const content = body.content as { media?: { id?: unknown } } | undefined;
  if (content !== undefined) {
    const id = content.media?.id;
    if (typeof id !== "string") return invalid("/content/media/id is required");
    const image = imagesOf(standIn).get(id);
    if (!image || image.owner !== author)
      return linkedInError(400, "MEDIA_NOT_FOUND", `Image ${id} does not exist for this author`);
    if (!image.bytes)
      return linkedInError(
        400,
        "MEDIA_NOT_UPLOADED",
        `Image ${id} was never uploaded (PUT to its uploadUrl first)`,
      );
    media.push(id);
  }
  if (
    standIn.posts.some(
      (p) => p.network === "linkedin" && p.accountId === author && p.text === body.commentary,
    )
  )
    return failures.duplicate;
  if (!standIn.countPublish("linkedin")) return failures.rate_limit;
  const urn = `urn:li:share:${standIn.nextId()}`;
  standIn.posts.push({
    network: "linkedin",
    id: urn,
    accountId: author,
    text: body.commentary,
    media,
    at: standIn.now(),
  });
  return { status: 201, headers: { "x-restli-id": urn } };
}
