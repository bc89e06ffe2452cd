import type { Application } from "express";
import request from "supertest";
import { z } from "zod";
import { buildTestApp, type TestApp } from "../../test/support/app";
import { apiAs } from "../../test/support/api";
import { csrfFrom, signIn } from "../../test/support/forms";
import { buildBusiness, buildUser, defaultPassword } from "../../test/factories";
import { createApp } from "../app";
import { AppError } from "../errors";
import { endpoints } from "../routes";
import { endpoint, type Endpoint } from "./endpoint";
import { redirect, reply } from "./outcomes";

/** Validation as middleware and the form-action helper, on test-only endpoints. */
const querySchema = z.object({ size: z.coerce.number().int().max(100, { error: "At most 100." }) });
const bodySchema = z.object({
  name: z.string().min(1, { error: "Enter a name." }),
  email: z.email({ error: "Enter an e-mail address." }),
  password: z.string().min(10, { error: "Use at least 10 characters." }),
});

const testEndpoints: Endpoint[] = [
  endpoint({
    method: "post",
    path: "/api/v1/test-chain",
    auth: "api",
    permission: "customers.view",
    query: querySchema,
    body: bodySchema,
    // The handler gets z.output of the endpoint's own schemas: size is a number here.
    handler: ({ query, body, ctx }) =>
      reply({ size: query.size + 1, name: body.name, business: ctx.business.id }, "ok", {
        status: 201,
      }),
  }),
  endpoint({
    method: "post",
    path: "/test-chain/form",
    auth: "page",
    permission: "customers.manage",
    body: bodySchema.extend({ outcome: z.enum(["ok", "conflict", "forbidden"]).default("ok") }),
    form: { render: ({ res }, failure) => void res.status(failure.status).json(failure) },
    handler: ({ body }) => {
      if (body.outcome === "conflict")
        throw new AppError("conflict", "That name is taken.", { field: "name" });
      if (body.outcome === "forbidden") throw AppError.forbidden();
      return redirect("/profile", `Saved ${body.name}.`);
    },
  }),
  endpoint({
    method: "post",
    path: "/test-chain/gated",
    auth: "page",
    feature: "campaigns",
    permission: "customers.manage",
    body: bodySchema,
    form: { render: ({ res }, failure) => void res.status(failure.status).json(failure) },
    handler: () => redirect("/"),
  }),
  endpoint({
    method: "post",
    path: "/test-chain/embedded",
    auth: "page",
    permission: "customers.manage",
    body: z.object({ name: z.string().min(1, { error: "Enter a name." }) }),
    form: { back: () => "/profile" },
    handler: () => redirect("/profile", "Saved."),
  }),
];

describe("the route chain", () => {
  let t: TestApp;
  let app: Application;
  beforeAll(async () => {
    t = await buildTestApp();
    app = createApp(t.deps, [...endpoints, ...testEndpoints]);
  });
  afterAll(() => t.close());

  async function owner() {
    const user = await buildUser(t.deps.models);
    const { business } = await buildBusiness(t.deps.models, { owner: user });
    return { user, business };
  }

  it("API: 422 validation_failed naming every field of query and body; typed input when valid", async () => {
    const { user, business } = await owner();
    const api = await apiAs({ ...t, app }, user, business);
    const bad = await api("post", "/test-chain?size=500", { name: "", email: "nope" });
    expect(bad.status).toBe(422);
    expect(bad.body).toEqual({
      statusCode: 422,
      error: "validation_failed",
      message: "Some fields need attention.",
      details: {
        fields: {
          size: "At most 100.",
          name: "Enter a name.",
          email: "Enter an e-mail address.",
          password: expect.any(String),
        },
      },
    });
    const list = await api("post", "/test-chain?size=1", [1, 2]);
    expect(list.status).toBe(422);
    expect(list.body.details.fields.form).toBe("Send a JSON object.");
    const ok = await api("post", "/test-chain?size=41", {
      name: "Asha",
      email: "asha@example.com",
      password: "long enough password",
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toEqual({
      statusCode: 201,
      data: { size: 42, name: "Asha", business: business.id },
      message: "ok",
    });
  });

  async function signedInForm() {
    const { user } = await owner();
    const agent = request.agent(app);
    await signIn(agent, user.email, defaultPassword);
    const csrf = csrfFrom(await agent.get("/profile"));
    const post = (path: string, fields: Record<string, string>) =>
      agent
        .post(path)
        .type("form")
        .send({ _csrf: csrf, ...fields });
    return { agent, post };
  }

  it("a form comes back with every field's error and what was typed, never the password", async () => {
    const { post } = await signedInForm();
    const res = await post("/test-chain/form", { name: "", email: "typed@", password: "short" });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual({
      name: "Enter a name.",
      email: "Enter an e-mail address.",
      password: "Use at least 10 characters.",
    });
    expect(res.body.values).toEqual({ name: "", email: "typed@" });
  });

  it("a conflict raised by the handler comes back on the form with its status and field; other errors go to the error page", async () => {
    const { post } = await signedInForm();
    const fields = { name: "Asha", email: "asha@example.com", password: "long enough password" };
    const conflict = await post("/test-chain/form", { ...fields, outcome: "conflict" });
    expect(conflict.status).toBe(409);
    expect(conflict.body.errors).toEqual({ name: "That name is taken." });
    expect(conflict.body.values).toMatchObject({ name: "Asha", outcome: "conflict" });

    const forbidden = await post("/test-chain/form", { ...fields, outcome: "forbidden" });
    expect(forbidden.status).toBe(403);
    expect(forbidden.headers["content-type"]).toMatch(/text\/html/);

    const saved = await post("/test-chain/form", fields);
    expect(saved.status).toBe(302);
    expect(saved.headers.location).toBe("/profile");
  });

  it("the plan gate answers before the form: its 402 is the error page, not the form", async () => {
    const { post } = await signedInForm();
    const res = await post("/test-chain/gated", { name: "" });
    expect(res.status).toBe(402);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
  });

  it("a form embedded in another page goes back there with the error as a flash", async () => {
    const { agent, post } = await signedInForm();
    const res = await post("/test-chain/embedded", { name: "" });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/profile");
    expect((await agent.get("/profile")).text).toContain("Enter a name.");
  });
});
