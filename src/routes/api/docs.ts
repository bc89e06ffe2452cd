import type { ApiCall, VisitorCall } from "../../http/endpoint";
import { registeredEndpoints } from "../../http/registry";
import type { RequestContext } from "../../tenancy/context";
import { openApiDocument, type OpenApiDocument } from "../../http/openapi";

/**
 * /api/v1/openapi.json and its reference page /api/docs, both built from the endpoint tables.
 * The tables do not change while a process runs, so the document is built once, when first asked.
 */
let built: OpenApiDocument | undefined;

export function apiDocument(): OpenApiDocument {
  built ??= openApiDocument(registeredEndpoints());
  return built;
}

/** GET /api/v1/openapi.json: the document itself, not in the envelope (tools read it as is). */
export function openApiJson({ res }: ApiCall<Record<never, never>, RequestContext | undefined>) {
  res.setHeader("Cache-Control", "public, max-age=300");
  res.json(apiDocument());
}

type Json = Record<string, unknown>;

/** Text with `code` spans, as parts the view prints escaped (no HTML comes from the document). */
export function textParts(text: unknown): { text: string; code: boolean }[] {
  return String(text ?? "")
    .split("`")
    .map((part, index) => ({ text: part, code: index % 2 === 1 }))
    .filter((part) => part.text !== "");
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/** A JSON Schema in a few words, for the parameters table. */
function typeText(schema: Json | undefined): string {
  if (!schema) return "";
  if (Array.isArray(schema.enum)) return (schema.enum as unknown[]).map(String).join(" | ");
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : String(schema.type ?? "any");
  const bounds = [
    schema.minimum !== undefined ? `≥ ${String(schema.minimum)}` : "",
    schema.maximum !== undefined ? `≤ ${String(schema.maximum)}` : "",
    schema.maxLength !== undefined ? `≤ ${String(schema.maxLength)} chars` : "",
    schema.default !== undefined ? `default ${JSON.stringify(schema.default)}` : "",
  ].filter(Boolean);
  return bounds.length > 0 ? `${type} (${bounds.join(", ")})` : type;
}

function contentOf(
  entry: Json | undefined,
): { type: string; schema: unknown; example: unknown } | null {
  const content = entry?.content as Record<string, Json> | undefined;
  const [type, media] = Object.entries(content ?? {})[0] ?? [];
  return type && media ? { type, schema: media.schema, example: media.example } : null;
}

/** The document as the reference page lists it: operations by resource, then the schemas. */
export function docsView(document: OpenApiDocument) {
  const groups = new Map<string, Json[]>();
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const tag = ((operation.tags as string[] | undefined) ?? ["api"])[0] ?? "api";
      const responses = Object.entries(operation.responses as Record<string, Json>).map(
        ([status, response]) => {
          const ref = typeof response.$ref === "string" ? response.$ref : null;
          const resolved = ref
            ? document.components.responses[ref.split("/").pop() ?? ""]
            : response;
          const content = contentOf(resolved);
          return {
            status,
            description: String(resolved?.description ?? ""),
            success: status.startsWith("2"),
            example: content ? pretty(content.example) : null,
            schema: content && status.startsWith("2") ? pretty(content.schema) : null,
            contentType: content?.type ?? null,
          };
        },
      );
      const body = contentOf(operation.requestBody as Json | undefined);
      const list = groups.get(tag) ?? [];
      list.push({
        id: String(operation.operationId),
        method: method.toUpperCase(),
        methodClass:
          { GET: "primary", POST: "success", PATCH: "warning", DELETE: "danger" }[
            method.toUpperCase()
          ] ?? "secondary",
        path,
        summary: operation.summary,
        description: textParts(operation.description),
        open: (operation.security as unknown[]).length === 0,
        scope: operation["x-token-scope"] ?? null,
        parameters: ((operation.parameters as Json[] | undefined) ?? []).map((p) => ({
          name: p.name,
          in: p.in,
          required: p.required === true,
          type: typeText(p.schema as Json),
          description: p.description ?? "",
        })),
        body: body ? { type: body.type, schema: pretty(body.schema) } : null,
        responses,
      });
      groups.set(tag, list);
    }
  }
  return {
    title: "API reference",
    info: { ...document.info, description: textParts(document.info.description) },
    openapi: document.openapi,
    groups: [...groups].map(([name, operations]) => ({ name, operations })),
    schemas: Object.entries(document.components.schemas).map(([name, schema]) => ({
      name,
      json: pretty(schema),
    })),
  };
}

/** GET /api/docs: the reference, rendered by the app (no script, no CDN). */
export function showDocs({ res }: VisitorCall) {
  res.render("apiDocs/index", docsView(apiDocument()));
}
