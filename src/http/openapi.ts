import { z } from "zod";
import type { Endpoint } from "./endpoint";
import { nameOf, type ResponseSpec } from "./apiResponse";
import { scopeNeeded } from "./tokenScopes";

/**
 * The OpenAPI 3.1 document of /api/v1, built from the endpoint tables: paths and methods, the
 * zod schemas of params, query and body (as JSON Schema 2020-12, which 3.1 speaks), the declared
 * success response with its example inside the envelope, the error responses every operation can
 * give (AppError's envelope), and the two ways to authenticate.
 */
type Json = Record<string, unknown>;
export interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string };
  paths: Record<string, Record<string, Json>>;
  components: {
    schemas: Record<string, Json>;
    responses: Record<string, Json>;
    securitySchemes: Record<string, Json>;
  };
  tags: { name: string }[];
}

const errorIdsDoc = [
  "bad_request",
  "validation_failed",
  "unauthorized",
  "forbidden",
  "insufficient_scope",
  "not_found",
  "conflict",
  "payload_too_large",
  "unsupported_media_type",
  "rate_limited",
  "plan_limit",
  "internal_error",
  "service_unavailable",
];

const errorSchema: Json = {
  type: "object",
  description: "Every error: a stable id to match on, a message for people, details by error.",
  properties: {
    statusCode: { type: "integer" },
    error: { type: "string", description: "Stable id", examples: errorIdsDoc },
    message: { type: "string" },
    details: { type: "object", additionalProperties: true },
  },
  required: ["statusCode", "error", "message"],
};

const errorResponses: Record<string, { status: string; description: string; example: Json }> = {
  Unauthorized: {
    status: "401",
    description: "No token, or one that is invalid, expired or revoked",
    example: {
      statusCode: 401,
      error: "unauthorized",
      message: "The access token is not valid.",
      details: { reason: "token_invalid" },
    },
  },
  Forbidden: {
    status: "403",
    description:
      "The member's role does not allow it (forbidden), or the personal token lacks the scope (insufficient_scope)",
    example: {
      statusCode: 403,
      error: "insufficient_scope",
      message: "This token needs the scope customers:write.",
      details: { scope: "customers:write", granted: ["customers:read"] },
    },
  },
  NotFound: {
    status: "404",
    description: "No such record in this business",
    example: { statusCode: 404, error: "not_found", message: "We could not find that page." },
  },
  ValidationFailed: {
    status: "422",
    description: "Every field's problem at once",
    example: {
      statusCode: 422,
      error: "validation_failed",
      message: "Some fields need attention.",
      details: { fields: { name: "Enter the customer's name." } },
    },
  },
  PlanLimit: {
    status: "402",
    description: "The business's plan does not include this",
    example: {
      statusCode: 402,
      error: "plan_limit",
      message: "Your plan does not include this. Upgrade to continue.",
    },
  },
  RateLimited: {
    status: "429",
    description: "Too many requests: wait Retry-After seconds",
    example: {
      statusCode: 429,
      error: "rate_limited",
      message: "This token has made too many requests. Wait and retry.",
      details: { retryAfterSeconds: 12 },
    },
  },
};

/** A zod schema as JSON Schema: the input side for requests, the output side for answers. */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): Json {
  const converted = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    target: "draft-2020-12",
  }) as Json;
  const { $schema: _dialect, ...rest } = converted;
  return rest;
}

/** `/api/v1/customers/:customerId` → `/api/v1/customers/{customerId}` */
export function openApiPath(path: string): string {
  return path.replace(/:(\w+)/g, "{$1}");
}

function operationId(endpoint: Endpoint): string {
  const words = endpoint.path
    .replace(/^\/api\/v1\/?/, "")
    .split(/[/.-]/)
    .filter(Boolean)
    .map((part) => (part.startsWith(":") ? `by ${part.slice(1)}` : part));
  const camel = [endpoint.method, ...words]
    .join(" ")
    .replace(/\s+(\w)/g, (_m, c: string) => c.toUpperCase());
  return camel || endpoint.method;
}

/** The request schema the document shows: declared for documents, else the endpoint's own. */
function requestSchema(endpoint: Endpoint, part: "query" | "body"): z.ZodType | undefined {
  const documented = endpoint.documents?.[part];
  if (documented) return documented;
  const own = endpoint[part];
  return own && typeof own !== "function" ? own : undefined;
}

function parametersOf(endpoint: Endpoint): Json[] {
  const parameters: Json[] = [];
  const pathNames = [...endpoint.path.matchAll(/:(\w+)/g)].map((m) => m[1] as string);
  const pathSchema = endpoint.params ? jsonSchema(endpoint.params, "input") : {};
  const pathProps = (pathSchema.properties ?? {}) as Record<string, Json>;
  for (const name of pathNames) {
    const schema = name.endsWith("Id")
      ? { type: "integer", minimum: 1 }
      : (pathProps[name] ?? { type: "string" });
    parameters.push({ name, in: "path", required: true, schema });
  }
  const query = requestSchema(endpoint, "query");
  if (query) {
    const schema = jsonSchema(query, "input");
    const required = new Set((schema.required as string[] | undefined) ?? []);
    for (const [name, property] of Object.entries(
      (schema.properties ?? {}) as Record<string, Json>,
    )) {
      const { description, ...rest } = property;
      parameters.push({
        name,
        in: "query",
        required: required.has(name) && !("default" in property),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  return parameters;
}

function requestBodyOf(endpoint: Endpoint): Json | undefined {
  const body = requestSchema(endpoint, "body");
  if (!body && !endpoint.upload) return undefined;
  const schema = body ? jsonSchema(body, "input") : { type: "object" };
  if (endpoint.upload) {
    const properties = {
      file: { type: "string", contentMediaType: "application/octet-stream" },
      ...((schema.properties ?? {}) as Json),
    };
    return {
      required: true,
      content: {
        "multipart/form-data": {
          schema: {
            ...schema,
            type: "object",
            properties,
            required: ["file", ...((schema.required as string[]) ?? [])],
          },
        },
      },
    };
  }
  return { required: true, content: { "application/json": { schema } } };
}

/** The declared answer inside the envelope (a list's with nextCursor), with its example. */
function successOf(response: ResponseSpec, schemas: Record<string, Json>): Json {
  const name = nameOf(response.schema);
  let data: Json;
  if (name) {
    schemas[name] ??= jsonSchema(response.schema, "output");
    data = { $ref: `#/components/schemas/${name}` };
  } else data = jsonSchema(response.schema, "output");
  const description = response.description ?? "Success";
  if (response.contentType)
    return {
      description,
      content: { [response.contentType]: { schema: data, example: response.example } },
    };
  if (response.bare)
    return {
      description,
      content: { "application/json": { schema: data, example: response.example } },
    };
  const listed = response.list;
  const envelope: Json = {
    type: "object",
    properties: {
      statusCode: { type: "integer", const: response.status },
      data: listed ? { type: "array", items: data } : data,
      ...(listed
        ? {
            nextCursor: {
              type: ["string", "null"],
              description: "Send as ?cursor= for the next page; null on the last",
            },
          }
        : {}),
      message: { type: "string" },
    },
    required: ["statusCode", "data", "message", ...(listed ? ["nextCursor"] : [])],
  };
  const example = {
    statusCode: response.status,
    data: response.example,
    ...(listed ? { nextCursor: null } : {}),
    message: "…",
  };
  return { description, content: { "application/json": { schema: envelope, example } } };
}

function operationOf(endpoint: Endpoint, schemas: Record<string, Json>): Json {
  const open = endpoint.permission === "anyone";
  const scope = scopeNeeded(endpoint);
  const responses: Record<string, Json> = {};
  if (endpoint.response)
    responses[String(endpoint.response.status)] = successOf(endpoint.response, schemas);
  const refer = (name: string) => {
    const entry = errorResponses[name];
    if (entry) responses[entry.status] = { $ref: `#/components/responses/${name}` };
  };
  if (!open) refer("Unauthorized");
  if (!open) refer("Forbidden");
  if (endpoint.feature) refer("PlanLimit");
  if (endpoint.path.includes(":")) refer("NotFound");
  if (endpoint.params || endpoint.query || endpoint.body || endpoint.upload)
    refer("ValidationFailed");
  if (!open) refer("RateLimited");
  // Grouped by resource; the API's own front door and document under "api".
  const first = endpoint.path.replace(/^\/api\/v1\/?/, "").split("/")[0] ?? "";
  const resource = first && !first.includes(".") ? first : "api";
  const parameters = parametersOf(endpoint);
  const requestBody = requestBodyOf(endpoint);
  const notes = [
    open ? "No authentication." : `Permission: ${endpoint.permission}.`,
    scope
      ? `Personal tokens need the scope \`${scope.resource}:${scope.access}\` (write covers read).`
      : "",
    endpoint.feature ? `Plan feature: ${endpoint.feature}.` : "",
  ].filter(Boolean);
  return {
    operationId: operationId(endpoint),
    summary: endpoint.summary ?? `${endpoint.method.toUpperCase()} ${endpoint.path}`,
    description: notes.join(" "),
    tags: [resource],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(requestBody ? { requestBody } : {}),
    responses,
    security: open ? [] : [{ bearerJwt: [] }, { personalToken: [] }],
    ...(scope ? { "x-token-scope": `${scope.resource}:${scope.access}` } : {}),
  };
}

/** The whole document for the API endpoints of `endpoints`. */
export function openApiDocument(endpoints: readonly Endpoint[]): OpenApiDocument {
  const schemas: Record<string, Json> = { Error: errorSchema };
  const paths: OpenApiDocument["paths"] = {};
  const tags: string[] = [];
  for (const endpoint of endpoints) {
    if (endpoint.auth !== "api") continue;
    const operation = operationOf(endpoint, schemas);
    const path = openApiPath(endpoint.path);
    paths[path] ??= {};
    (paths[path] as Record<string, Json>)[endpoint.method] = operation;
    for (const tag of operation.tags as string[]) if (!tags.includes(tag)) tags.push(tag);
  }
  const responses: Record<string, Json> = {};
  for (const [name, entry] of Object.entries(errorResponses))
    responses[name] = {
      description: entry.description,
      content: {
        "application/json": {
          schema: { $ref: "#/components/schemas/Error" },
          example: entry.example,
        },
      },
    };
  return {
    openapi: "3.1.0",
    info: {
      title: "CRM API",
      version: "v1",
      description:
        "JSON under /api/v1. Success: `{statusCode, data, message}`; lists add `nextCursor` and page with `?cursor=&limit=`. Errors: `{statusCode, error, message, details}` with a stable `error` id. Authenticate with `Authorization: Bearer` and either a login's access token (POST /api/v1/auth/login; choose the business with X-Business-Id) or a personal token (crm_pat_…, made on /profile/api-tokens; bound to one business and its scopes; rate-limited with RateLimit-* headers).",
    },
    paths,
    components: {
      schemas,
      responses,
      securitySchemes: {
        bearerJwt: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description:
            "Access token from POST /api/v1/auth/login (renew with /api/v1/auth/refresh-token). X-Business-Id picks the business.",
        },
        personalToken: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "crm_pat_…",
          description:
            "Personal API token made on /profile/api-tokens: acts as its member in its business, limited to its scopes (see x-token-scope on each operation).",
        },
      },
    },
    tags: tags.map((name) => ({ name })),
  };
}
