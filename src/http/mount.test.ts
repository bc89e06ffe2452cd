import { z } from "zod";
import { buildTestApp, type TestApp } from "../../test/support/app";
import { createApp } from "../app";
import { endpoints } from "../routes";
import { endpoint, type Endpoint } from "./endpoint";
import { checkEndpoints, routesOf } from "./mount";
import { reply } from "./outcomes";

/** A declaration as a careless (or untyped) caller might write it: the types are bypassed. */
const careless = (spec: Record<string, unknown>) => spec as unknown as Endpoint;
const handler = () => reply(null, "ok");

describe("endpoint tables refuse unsafe entries when the app is built", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("every endpoint of the app has a permission and mounts", () => {
    expect(() => checkEndpoints(endpoints)).not.toThrow();
    expect(routesOf(endpoints).every((route) => Boolean(route.endpoint.permission))).toBe(true);
  });

  it("an endpoint without a permission stops the app from building", () => {
    const missing = careless({ method: "get", path: "/reports", auth: "page", handler });
    expect(() => createApp(t.deps, [...endpoints, missing])).toThrow(
      /GET \/reports: no permission/,
    );
  });

  it("names a misspelt permission, and every problem of the table at once", () => {
    const typo = careless({
      method: "post",
      path: "/reports",
      auth: "page",
      permission: "reports.manage",
      handler,
    });
    const outside = careless({
      method: "get",
      path: "/reports.json",
      auth: "api",
      permission: "customers.view",
      handler,
    });
    expect(() => checkEndpoints([typo, outside])).toThrow(
      /unknown permission "reports\.manage"[\s\S]*only they, live under \/api\/v1/,
    );
  });

  it("public and webhook endpoints take no member's permission, and a webhook body needs a signature check", () => {
    const publicWithAction = endpoint({
      method: "post",
      path: "/forms/lead",
      auth: "public",
      // Typed as an Action on purpose: nobody is signed in on a public endpoint.
      permission: "customers.manage",
      handler,
    });
    expect(() => checkEndpoints([publicWithAction])).toThrow(/their permission is "anyone"/);
    const unsigned = endpoint({
      method: "post",
      path: "/webhooks/provider",
      auth: "webhook",
      permission: "anyone",
      body: z.object({ event: z.string() }),
      handler,
    });
    expect(() => checkEndpoints([unsigned])).toThrow(/needs a signature check/);
    const handshake = endpoint({
      method: "get",
      path: "/webhooks/provider",
      auth: "webhook",
      permission: "anyone",
      handler,
    });
    expect(() => checkEndpoints([handshake])).not.toThrow();
  });

  it("refuses the same method and path twice", () => {
    const again = endpoint({
      method: "get",
      path: "/login",
      auth: "page",
      permission: "anyone",
      handler,
    });
    expect(() => checkEndpoints([...endpoints, again])).toThrow(/GET \/login: declared twice/);
  });
});
