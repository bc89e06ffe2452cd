import { z } from "zod";
import { endpoints } from "../routes";
import { openApiDocument, openApiPath } from "./openapi";

/**
 * The OpenAPI document against the endpoint tables: every /api/v1 endpoint is in it with a
 * declared answer whose example fits its schema, and the document is well-formed OpenAPI 3.1.
 */
const apiEndpoints = endpoints.filter((e) => e.auth === "api");
const document = openApiDocument(endpoints);
const name = (e: { method: string; path: string }) => `${e.method.toUpperCase()} ${e.path}`;

/** Every `$ref` anywhere in a value. */
function refsIn(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value && typeof value === "object") {
    for (const [key, inner] of Object.entries(value)) {
      if (key === "$ref" && typeof inner === "string") found.push(inner);
      else refsIn(inner, found);
    }
  }
  return found;
}

function resolve(ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = document;
  for (const part of ref.slice(2).split("/")) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return node;
}

const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
);

describe("OpenAPI document", () => {
  it("has every /api/v1 endpoint of the tables, and nothing else", () => {
    expect(apiEndpoints.length).toBeGreaterThan(20);
    const missing = apiEndpoints
      .filter((e) => !document.paths[openApiPath(e.path)]?.[e.method])
      .map(name);
    expect(missing).toEqual([]);
    expect(operations).toHaveLength(apiEndpoints.length);
  });

  it("has a declared success answer for every API endpoint, and the fields of each request", () => {
    expect(apiEndpoints.filter((e) => !e.response).map(name)).toEqual([]);
    // A schema built per caller says nothing to the document unless it documents its fields.
    const undocumented = apiEndpoints.filter(
      (e) =>
        (typeof e.query === "function" && !e.documents?.query) ||
        (typeof e.body === "function" && !e.documents?.body),
    );
    expect(undocumented.map(name)).toEqual([]);
  });

  it("has examples that fit their schemas (each item of a list)", () => {
    const misfits: string[] = [];
    for (const endpoint of apiEndpoints) {
      const response = endpoint.response;
      if (!response) continue;
      const schema = response.list ? z.array(response.schema) : response.schema;
      const parsed = schema.safeParse(response.example);
      if (!parsed.success) misfits.push(`${name(endpoint)}: ${parsed.error.message}`);
      if (response.list && (response.example as unknown[]).length === 0)
        misfits.push(`${name(endpoint)}: a list's example shows at least one item`);
    }
    expect(misfits).toEqual([]);
  });

  it("is OpenAPI 3.1: version, info, responses on every operation, every $ref resolves", () => {
    expect(document.openapi).toMatch(/^3\.1\.\d+$/);
    expect(document.info.title).toBeTruthy();
    expect(document.info.version).toBeTruthy();
    const allowed = new Set(["get", "put", "post", "delete", "options", "head", "patch", "trace"]);
    const ids = new Set<string>();
    for (const { path, method, operation } of operations) {
      expect(path.startsWith("/")).toBe(true);
      expect(allowed.has(method)).toBe(true);
      const responses = operation.responses as Record<string, unknown>;
      expect(Object.keys(responses).length).toBeGreaterThan(0);
      for (const status of Object.keys(responses)) expect(status).toMatch(/^[1-5]\d\d$|^default$/);
      const id = String(operation.operationId);
      expect(ids.has(id)).toBe(false);
      ids.add(id);
      // Every {param} of the path is a required path parameter, and nothing else is.
      const inPath = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = (
        (operation.parameters ?? []) as { name: string; in: string; required: boolean }[]
      ).filter((p) => p.in === "path");
      expect(declared.map((p) => p.name).sort()).toEqual(inPath);
      expect(declared.every((p) => p.required)).toBe(true);
      for (const requirement of (operation.security ?? []) as Record<string, unknown>[])
        for (const scheme of Object.keys(requirement))
          expect(document.components.securitySchemes[scheme]).toBeDefined();
    }
    const refs = refsIn(document);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((ref) => resolve(ref) === undefined)).toEqual([]);
  });

  it("describes both ways in, and the error envelope of every refusal", () => {
    expect(Object.keys(document.components.securitySchemes).sort()).toEqual([
      "bearerJwt",
      "personalToken",
    ]);
    expect(document.components.schemas.Error).toMatchObject({
      required: ["statusCode", "error", "message"],
    });
    const customers = document.paths["/api/v1/customers"]?.post as Record<string, unknown>;
    expect(Object.keys(customers.responses as object).sort()).toEqual(
      ["201", "401", "402", "403", "422", "429"].sort(),
    );
    expect(customers["x-token-scope"]).toBe("customers:write");
    const list = document.paths["/api/v1/customers"]?.get as Record<string, unknown>;
    const names = (list.parameters as { name: string }[]).map((p) => p.name);
    expect(names).toEqual(expect.arrayContaining(["cursor", "limit", "q", "tags", "sort"]));
  });
});
