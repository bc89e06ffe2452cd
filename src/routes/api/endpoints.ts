import { z } from "zod";
import { responds, respondsBare } from "../../http/apiResponse";
import { routes, type Endpoint } from "../../http/endpoint";
import { reply } from "../../http/outcomes";
import { openApiJson, showDocs } from "./docs";

const api = routes({ auth: "api" });
const page = routes({ auth: "page" });

/** The API's front door: which version this is, and the document describing all of it. */
export const apiRootEndpoints: Endpoint[] = [
  api.get("/api/v1", "anyone", {
    summary: "Which version of the API this is",
    response: responds(z.strictObject({ version: z.literal("v1") }), { version: "v1" }),
    handler: () => reply({ version: "v1" }, "CRM API"),
  }),
  api.get("/api/v1/openapi.json", "anyone", {
    summary: "This API as an OpenAPI 3.1 document",
    response: respondsBare(
      z.looseObject({
        openapi: z.string(),
        info: z.looseObject({ title: z.string(), version: z.string() }),
        paths: z.record(z.string(), z.unknown()),
      }),
      { openapi: "3.1.0", info: { title: "CRM API", version: "v1" }, paths: {} },
    ),
    handler: openApiJson,
  }),
];

/** The reference page for people, built from the same document. */
export const apiDocsEndpoints: Endpoint[] = [
  page.get("/api/docs", "anyone", { handler: showDocs }),
];
