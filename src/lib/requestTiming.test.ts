import http from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { buildTestApp, type TestApp } from "../../test/support/app";
import { signIn } from "../../test/support/forms";
import { buildBusiness, buildUser, defaultPassword } from "../../test/factories";
import {
  parseServerTiming,
  requestTiming,
  serverTimingHeader,
  servingRequests,
  type RequestTiming,
} from "./requestTiming";

function timing(overrides: Partial<RequestTiming> = {}): RequestTiming {
  return {
    startedAt: 100,
    statements: 0,
    dbMs: 0,
    inFlight: 0,
    inFlightSince: 0,
    renderMs: 0,
    ...overrides,
  };
}

describe("the Server-Timing header", () => {
  it("gives db, render and total in ms, the statement count in db's description", () => {
    const header = serverTimingHeader(
      timing({ statements: 2, dbMs: 1.234, renderMs: 0.56 }),
      107.89,
    );
    expect(header).toBe('db;dur=1.2;desc="2 statements", render;dur=0.6, total;dur=7.9');
    expect(parseServerTiming(header)).toEqual({
      db: { dur: 1.2, desc: "2 statements" },
      render: { dur: 0.6 },
      total: { dur: 7.9 },
    });
  });

  it("counts a statement still running when the head is written up to that moment", () => {
    const header = serverTimingHeader(
      timing({ statements: 1, inFlight: 1, inFlightSince: 103 }),
      105,
    );
    expect(parseServerTiming(header).db).toEqual({ dur: 2, desc: "1 statement" });
  });

  describe("on the app's responses", () => {
    let t: TestApp;
    let signedIn: ReturnType<typeof request.agent>;
    beforeAll(async () => {
      t = await buildTestApp();
      const user = await buildUser(t.deps.models);
      await buildBusiness(t.deps.models, { owner: user });
      signedIn = request.agent(t.app);
      await signIn(signedIn, user.email, defaultPassword);
    });
    afterAll(() => t.close());

    it("measures a signed-in page: its statements, the database and rendering within the total", async () => {
      const res = await signedIn.get("/businesses").expect(200);
      const metrics = parseServerTiming(res.headers["server-timing"] as string);
      expect(metrics.db?.desc).toMatch(/^[1-9]\d* statements?$/);
      expect(metrics.render?.dur).toBeGreaterThan(0);
      expect(metrics.total?.dur).toBeGreaterThanOrEqual(
        (metrics.db?.dur ?? 0) + (metrics.render?.dur ?? 0) - 0.2,
      );
    });

    it("measures a new visitor's page: its one statement stores the session its form needs", async () => {
      const res = await request(t.app).get("/login").expect(200);
      const metrics = parseServerTiming(res.headers["server-timing"] as string);
      // The session (the form's CSRF token) is stored before the answer goes out.
      expect(metrics.db?.desc).toBe("1 statement");
      expect(await t.deps.models.Session.count({ where: { userId: null } })).toBeGreaterThan(0);
      expect(metrics.render?.dur).toBeGreaterThan(0);
    });

    it("is sent with redirects, errors and API answers too", async () => {
      for (const res of [
        await request(t.app).get("/customers"),
        await request(t.app).get("/no-such-page"),
        await request(t.app).get("/api/v1/customers"),
      ]) {
        expect(res.status).toBeGreaterThanOrEqual(300);
        expect(Object.keys(parseServerTiming(res.headers["server-timing"] as string))).toEqual([
          "db",
          "render",
          "total",
        ]);
      }
    });
  });
});

describe("servingRequests", () => {
  it("is true while a request is being answered, and false once it finished or was abandoned", async () => {
    let release: () => void = () => undefined;
    const server = http.createServer((req, res) =>
      requestTiming(req, res, () => {
        if (req.url === "/slow") release = () => res.end("late");
        else if (req.url === "/stream") res.writeHead(200).write("data: open\n\n");
        else res.end("ok");
      }),
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    try {
      expect(servingRequests()).toBe(false);
      const slow = fetch(`${base}/slow`).then((r) => r.text());
      while (!servingRequests()) await new Promise((resolve) => setTimeout(resolve, 5));
      await expect(fetch(`${base}/fast`).then((r) => r.text())).resolves.toBe("ok");
      expect(servingRequests()).toBe(true);
      release();
      await expect(slow).resolves.toBe("late");
      while (servingRequests()) await new Promise((resolve) => setTimeout(resolve, 5));
      // A visitor who leaves before the answer does not keep the process "busy".
      const abandoned = new AbortController();
      const gone = fetch(`${base}/slow`, { signal: abandoned.signal }).catch(() => "aborted");
      while (!servingRequests()) await new Promise((resolve) => setTimeout(resolve, 5));
      abandoned.abort();
      await expect(gone).resolves.toBe("aborted");
      const deadline = Date.now() + 5000;
      while (servingRequests() && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 5));
      expect(servingRequests()).toBe(false);
      // A live stream stays open after its head: its work is done, it does not hold others up.
      const stream = new AbortController();
      const head = await fetch(`${base}/stream`, { signal: stream.signal });
      expect(head.status).toBe(200);
      expect(servingRequests()).toBe(false);
      stream.abort();
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
