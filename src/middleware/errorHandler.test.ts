import express from "express";
import request from "supertest";
import { UniqueConstraintError } from "sequelize";
import { buildTestApp, type TestApp } from "../../test/support/app";
import { AppError } from "../errors";
import { createLogger } from "../logger";
import { configureViews } from "../views";
import { errorHandler } from "./errorHandler";

describe("errors seen by people and by API clients", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("an unknown page gets the 404 page", async () => {
    const res = await request(t.app).get("/no-such-page").expect(404);
    expect(res.headers["content-type"]).toMatch(/text\/html/);
    expect(res.text).toContain("Page not found");
    expect(res.text).toContain('data-error-id="not_found"');
  });

  it("an unknown API path gets the JSON error envelope", async () => {
    const res = await request(t.app).get("/api/v1/no-such-thing").expect(404);
    expect(res.body).toEqual({
      statusCode: 404,
      error: "not_found",
      message: "We could not find that page.",
      details: {},
    });
  });

  it("malformed JSON to the API is a 400 envelope, not a crash", async () => {
    const res = await request(t.app)
      .post("/api/v1/anything")
      .set("Content-Type", "application/json")
      .send("{oops");
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ statusCode: 400, error: "bad_request" });
  });

  it("a request id is returned, and an incoming one is kept", async () => {
    const res = await request(t.app).get("/healthz").set("X-Request-Id", "trace-abc-123");
    expect(res.headers["x-request-id"]).toBe("trace-abc-123");
    const fresh = await request(t.app).get("/healthz");
    expect(fresh.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("errorHandler", () => {
  const app = express();
  configureViews(app, false);
  app.get("/boom", () => {
    throw new Error("secret internals");
  });
  app.get("/api/v1/boom", () => {
    throw new Error("secret internals");
  });
  app.get("/api/v1/denied", () => {
    throw AppError.forbidden();
  });
  app.get("/api/v1/invalid", () => {
    throw AppError.validation({ email: "Enter a valid e-mail address." });
  });
  app.get("/api/v1/duplicate", () => {
    throw new UniqueConstraintError({ message: "Duplicate entry" });
  });
  app.get("/denied", () => {
    throw AppError.forbidden();
  });
  app.use(errorHandler(createLogger("silent")));

  it("hides an unexpected error behind the 500 page", async () => {
    const res = await request(app).get("/boom").expect(500);
    expect(res.text).toContain("Something went wrong");
    expect(res.text).not.toContain("secret internals");
  });

  it("hides an unexpected API error behind internal_error", async () => {
    const res = await request(app).get("/api/v1/boom").expect(500);
    expect(res.body).toEqual({
      statusCode: 500,
      error: "internal_error",
      message: "Something went wrong on our side. It has been logged.",
      details: {},
    });
  });

  it("shows the 403 page for a forbidden page", async () => {
    const res = await request(app).get("/denied").expect(403);
    expect(res.text).toContain("Access denied");
  });

  it("keeps the stable id, status and field details of an AppError", async () => {
    expect((await request(app).get("/api/v1/denied").expect(403)).body.error).toBe("forbidden");
    const invalid = await request(app).get("/api/v1/invalid").expect(422);
    expect(invalid.body).toMatchObject({
      error: "validation_failed",
      details: { fields: { email: "Enter a valid e-mail address." } },
    });
  });

  it("turns a unique-constraint violation into 409, never 500", async () => {
    const res = await request(app).get("/api/v1/duplicate").expect(409);
    expect(res.body.error).toBe("conflict");
  });
});
