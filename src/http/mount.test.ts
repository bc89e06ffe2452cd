import express from "express";
import request from "supertest";
import { z } from "zod";
import { buildTestApp, type TestApp } from "../../test/support/app";
import { createApp } from "../app";
import { endpoints } from "../routes";
import { endpoint, type Endpoint } from "./endpoint";
import { checkEndpoints, endpointRouter, routesOf } from "./mount";
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

describe("requests are dispatched by their path's first segment", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  const answer = (name: string) => () => reply({ name }, "ok");
  const id = z.object({ id: z.string().regex(/^\d+$/) });
  /** Public endpoints: the chain runs without a session; each answers with its own name. */
  const table: Endpoint[] = [
    endpoint({ method: "get", path: "/things/new", auth: "public", permission: "anyone", responds: "json", handler: answer("new") }),
    endpoint({ method: "get", path: "/things/:id", auth: "public", permission: "anyone", responds: "json", params: id, handler: answer("thing") }),
    endpoint({ method: "get", path: "/:slug/about", auth: "public", permission: "anyone", responds: "json", handler: answer("slug about") }),
    endpoint({ method: "get", path: "/things/:word", auth: "public", permission: "anyone", responds: "json", handler: answer("word") }),
    endpoint({ method: "post", path: "/things/:id", auth: "public", permission: "anyone", responds: "json", params: id, handler: answer("posted") }),
    endpoint({ method: "get", path: "/", auth: "public", permission: "anyone", responds: "json", handler: answer("home") }),
  ]; // prettier-ignore

  function app() {
    const server = express();
    server.use(endpointRouter(t.deps, table, "public"));
    server.use((_req, res) => void res.status(404).json({ name: "none" }));
    return server;
  }

  it("keeps table order within a segment, with next-route and pattern segments in place", async () => {
    const get = async (path: string) => (await request(app()).get(path)).body.data?.name;
    expect(await get("/things/new")).toBe("new");
    expect(await get("/things/7")).toBe("thing");
    // Params that do not fit hand over to the next endpoint that matches: here a later one.
    expect(await get("/things/seven")).toBe("word");
    // An endpoint whose first segment is a parameter matches any segment, in its table place.
    expect(await get("/things/about")).toBe("slug about");
    expect(await get("/other/about")).toBe("slug about");
    expect(await get("/")).toBe("home");
  });

  it("matches as Express does: any letter case, a trailing slash, HEAD on GET, by method", async () => {
    const server = app();
    expect((await request(server).get("/THINGS/7/")).body.data?.name).toBe("thing");
    await request(server).head("/things/7").expect(200);
    expect((await request(server).post("/things/7")).body.data?.name).toBe("posted");
    expect((await request(server).get("/nothing/here")).status).toBe(404);
    expect((await request(server).delete("/things/7")).status).toBe(404);
  });
});
