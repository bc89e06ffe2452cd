import { Writable } from "node:stream";
import express from "express";
import pino from "pino";
import request from "supertest";
import { requestLogger, withoutSecrets } from "./requestLogger";

describe("request log lines", () => {
  it("never carry CSRF or e-mailed link tokens from the query string", () => {
    expect(withoutSecrets("/profile/avatar?_csrf=abc123")).toBe("/profile/avatar?_csrf=[redacted]");
    expect(withoutSecrets("/activate?token=secret&x=1")).toBe("/activate?token=[redacted]&x=1");
    expect(withoutSecrets("/customers?page=2&sort=name")).toBe("/customers?page=2&sort=name");
  });
});

describe("the request log", () => {
  function appLogging() {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        callback();
      },
    });
    const app = express();
    app.use(requestLogger(pino({ level: "info" }, stream)));
    app.get("/healthz", (_req, res) => res.send("ok"));
    app.get("/boom", (_req, res) => res.status(503).send("down"));
    app.get("/page", (req, res) => res.send(`id ${req.id}`));
    return { app, lines };
  }

  it("writes one line per request with its id, method, redacted path, status and time", async () => {
    const { app, lines } = appLogging();
    const res = await request(app).get("/page?token=secret&x=1").set("X-Request-Id", "abc-123");
    expect(res.headers["x-request-id"]).toBe("abc-123");
    expect(res.text).toBe("id abc-123");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: "request completed",
      req: { id: "abc-123", method: "GET", url: "/page?token=[redacted]&x=1" },
      res: { statusCode: 200 },
    });
    expect(typeof lines[0]?.responseTime).toBe("number");
  });

  it("logs server errors at error level, and health probes not at all", async () => {
    const { app, lines } = appLogging();
    await request(app).get("/healthz");
    const fresh = await request(app).get("/boom").set("X-Request-Id", "no spaces allowed");
    expect(fresh.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines.map((l) => [l.level, (l.res as { statusCode: number }).statusCode])).toEqual([
      [50, 503],
    ]);
  });
});
