import type { SocialStandIn } from "./server";
import { json, type Grant, type Reply, type StandInFailure, type StandInRequest } from "./types";

/**
 * Meta's Graph API as Facebook Pages and Instagram business accounts use it (v20.0): /me/accounts,
 * the long-lived token exchange, /{page}/feed and /{page}/photos, /{ig}/media, /{ig}/media_publish
 * and /{ig}/content_publishing_limit. Errors in Graph's shape, {error: {message, type, code,
 * error_subcode, fbtrace_id}}: mostly HTTP 400, told apart by code, as Graph does.
 */
export function graphError(
  status: number,
  code: number,
  message: string,
  subcode?: number,
  transient = false,
): Reply {
  return json(status, {
    error: {
      message,
      type: code === 190 || code === 102 ? "OAuthException" : "GraphMethodException",
      code,
      ...(subcode === undefined ? {} : { error_subcode: subcode }),
      is_transient: transient,
      fbtrace_id: "AbCdEfStandIn",
    },
  });
}

const failures: Record<StandInFailure, Reply> = {
  expired_token: graphError(400, 190, "Error validating access token: Session has expired.", 463),
  permission: graphError(
    403,
    200,
    "(#200) The user hasn't authorized the application to perform this action",
  ),
  media_rejected: graphError(400, 324, "(#324) Missing or invalid image file"),
  content_policy: graphError(
    400,
    368,
    "The action attempted has been deemed abusive or is otherwise disallowed",
    1390008,
  ),
  duplicate: graphError(400, 506, "(#506) Duplicate status message"),
  rate_limit: graphError(400, 32, "(#32) Page request limit reached"),
  outage: graphError(
    500,
    2,
    "An unexpected error has occurred. Please retry your request later.",
    undefined,
    true,
  ),
};

const instagramFailures: Record<StandInFailure, Reply> = {
  ...failures,
  media_rejected: graphError(
    400,
    9004,
    "Only photo or video can be accepted as media type.",
    2207052,
  ),
  rate_limit: graphError(400, 4, "(#4) Application request limit reached", 2207051),
};

const containers = new WeakMap<
  SocialStandIn,
  Map<string, { ig: string; caption: string; url: string; used: boolean }>
>();

function containersOf(standIn: SocialStandIn) {
  let map = containers.get(standIn);
  if (!map) {
    map = new Map();
    containers.set(standIn, map);
  }
  return map;
}

/** Graph takes parameters in the query, a form body or a JSON body. */
function paramsOf(r: StandInRequest): Record<string, string> {
  const params: Record<string, string> = Object.fromEntries(r.query.entries());
  const type = String(r.req.headers["content-type"] ?? "");
  const text = r.body.toString("utf8");
  if (type.includes("application/json") && text) {
    for (const [key, value] of Object.entries(JSON.parse(text) as Record<string, unknown>))
      params[key] = typeof value === "string" ? value : JSON.stringify(value);
  } else if (text) {
    for (const [key, value] of new URLSearchParams(text).entries()) params[key] = value;
  }
  return params;
}

export async function handleGraph(
  standIn: SocialStandIn,
  network: "facebook" | "instagram",
  r: StandInRequest,
): Promise<Reply> {
  const match = /^\/v(\d+\.\d+)(\/.*)$/.exec(r.path);
  if (!match)
    return graphError(
      400,
      2500,
      "Unknown path components: an API version such as /v20.0 is required",
    );
  const path = match[2] as string;
  const params = paramsOf(r);
  const token = r.token ?? params.access_token;

  if (path === "/oauth/access_token" && params.grant_type === "fb_exchange_token") {
    if (
      params.client_id !== standIn.facebookApp.id ||
      params.client_secret !== standIn.facebookApp.secret
    )
      return graphError(400, 1, "Error validating client secret.");
    const grant = await standIn.grantFor(params.fb_exchange_token);
    if (!grant || grant.network !== "facebook_user") return failures.expired_token;
    return json(200, {
      access_token: standIn.deriveToken(grant),
      token_type: "bearer",
      expires_in: 5_183_944,
    });
  }

  const grant = await standIn.grantFor(token);
  if (!grant) return graphError(400, 190, "Invalid OAuth access token - Cannot parse access token");

  if (r.method === "GET" && path === "/me/accounts") return pagesOf(standIn, grant);
  if (r.method === "GET" && path === "/me")
    return json(200, { id: [...grant.subjects][0] ?? "me", name: grant.name });

  const failure = standIn.takeFailure(network);
  if (failure) return (network === "instagram" ? instagramFailures : failures)[failure];

  const node = /^\/([^/]+)\/(feed|photos|media|media_publish|content_publishing_limit)$/.exec(path);
  if (!node) return graphError(400, 100, `Unsupported ${r.method} request to ${path}`, 33);
  const [, id, edge] = node as unknown as [string, string, string];
  if (!grant.subjects.has(id)) return failures.permission;
  if (network === "facebook" && r.method === "POST" && (edge === "feed" || edge === "photos"))
    return pagePost(standIn, id, edge, params);
  if (network === "instagram") return instagram(standIn, r.method, id, edge, params);
  return graphError(400, 100, `Unsupported ${r.method} request to ${path}`, 33);
}

function pagesOf(standIn: SocialStandIn, grant: Grant): Reply {
  if (grant.network !== "facebook_user")
    return graphError(400, 100, "(#100) Tried accessing nonexisting field (accounts)");
  const data = grant.pages.map((page) => {
    const subjects = new Set([page.id, ...(page.instagram ? [page.instagram.id] : [])]);
    const pageToken = standIn.deriveToken(grant, {
      network: "facebook",
      subjects,
      name: page.name,
    });
    return {
      id: page.id,
      name: page.name,
      access_token: pageToken,
      tasks: ["CREATE_CONTENT", "MANAGE"],
      ...(page.instagram ? { instagram_business_account: page.instagram } : {}),
    };
  });
  return json(200, { data, paging: { cursors: { before: "b", after: "a" } } });
}

function pagePost(
  standIn: SocialStandIn,
  pageId: string,
  edge: string,
  params: Record<string, string>,
): Reply {
  const text = edge === "feed" ? params.message : params.caption;
  if (edge === "feed" && !params.message && !params.link)
    return graphError(400, 100, "(#100) The message or link parameter is required");
  if (edge === "photos" && !/^https?:\/\/.+/.test(params.url ?? "")) return failures.media_rejected;
  if ((text ?? "").length > 63_206) return graphError(400, 100, "(#100) The message is too long");
  if (
    standIn.posts.some(
      (p) => p.network === "facebook" && p.accountId === pageId && text && p.text === text,
    )
  )
    return failures.duplicate;
  if (!standIn.countPublish("facebook")) return failures.rate_limit;
  const postId = `${pageId}_${standIn.nextId()}`;
  standIn.posts.push({
    network: "facebook",
    id: postId,
    accountId: pageId,
    text: text ?? "",
    media: edge === "photos" ? [params.url as string] : [],
    ...(params.link ? { link: params.link } : {}),
    at: standIn.now(),
  });
  return json(200, edge === "photos" ? { id: standIn.nextId(), post_id: postId } : { id: postId });
}

function instagram(
  standIn: SocialStandIn,
  method: string,
  igId: string,
  edge: string,
  params: Record<string, string>,
): Reply {
  const dayAgo = standIn.now() - 86_400_000;
  const used = standIn.posts.filter(
    (p) => p.network === "instagram" && p.accountId === igId && p.at > dayAgo,
  ).length;
  if (method === "GET" && edge === "content_publishing_limit")
    return json(200, {
      data: [
        {
          quota_usage: used,
          config: { quota_total: standIn.instagramDailyLimit, quota_duration: 86_400 },
        },
      ],
    });
  if (method === "POST" && edge === "media") {
    if (!/^https?:\/\/.+/.test(params.image_url ?? ""))
      return graphError(
        400,
        9004,
        "The media could not be fetched from this uri: image_url is required",
        2207052,
      );
    if ((params.caption ?? "").length > 2200)
      return graphError(400, 100, "The caption is longer than 2200 characters", 2207010);
    const id = standIn.nextId();
    containersOf(standIn).set(id, {
      ig: igId,
      caption: params.caption ?? "",
      url: params.image_url as string,
      used: false,
    });
    return json(200, { id });
  }
  if (method === "POST" && edge === "media_publish") {
    const container = containersOf(standIn).get(params.creation_id ?? "");
    if (!container || container.ig !== igId)
      return graphError(
        400,
        100,
        "(#100) The media container does not exist for this account",
        2207027,
      );
    if (container.used) return graphError(400, 9, "The media has already been published", 2207001);
    if (used >= standIn.instagramDailyLimit)
      return graphError(
        400,
        9,
        "Application request limit reached: maximum number of posts in 24 hours",
        2207042,
      );
    if (!standIn.countPublish("instagram")) return instagramFailures.rate_limit;
    container.used = true;
    const id = standIn.nextId();
    standIn.posts.push({
      network: "instagram",
      id,
      accountId: igId,
      text: container.caption,
      media: [container.url],
      at: standIn.now(),
    });
    return json(200, { id });
  }
  return graphError(400, 100, `Unsupported ${method} request to /${igId}/${edge}`, 33);
}
