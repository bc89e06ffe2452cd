import { randomUUID } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { request as httpGet } from "node:http";
import os from "node:os";
import path from "node:path";
import pino from "pino";
import { projectRoot } from "./config";
import { testConfig } from "../test/support/config";
import { testDatabaseUrl } from "../test/support/database";
import { freePort, startEntry, waitFor } from "../test/support/processes";
import type { RunnableJob } from "./jobs/queue";
import { createLogger, type Logger } from "./logger";
import { listeningUrl, startRuntime } from "./runtime";

function get(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpGet({ host: "127.0.0.1", port, path }, (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", reject);
    req.end();
  });
}

const isolatedEnv = () => ({
  DATABASE_URL: testDatabaseUrl(),
  REDIS_URL: process.env.REDIS_URL ?? "",
  QUEUE_PREFIX: `crm-test-${randomUUID().slice(0, 8)}`,
  PORT: "0",
});

describe("graceful shutdown", () => {
  // Starts servers as processes (tsx compiles on start): slow beside another jest worker.
  jest.setTimeout(120_000);
  it("stops taking requests, lets the job in progress finish, then closes the database", async () => {
    const events: string[] = [];
    const slowJob: RunnableJob = {
      queue: "default",
      name: "slow-test-job",
      retry: { attempts: 1 },
      async perform() {
        events.push("job started");
        await new Promise((resolve) => setTimeout(resolve, 500));
        events.push("job finished");
      },
    };
    const config = testConfig(isolatedEnv());
    const runtime = await startRuntime({
      config,
      logger: createLogger("silent"),
      extraJobs: [slowJob],
    });
    const port = runtime.port as number;
    expect(await get(port, "/healthz")).toBe(200);

    await runtime.queue.enqueue(slowJob, {}, { jobId: "slow-shutdown" });
    // Start-up work (reconcile passes) may hold the queue first on a loaded machine.
    const deadline = Date.now() + 20_000;
    while (!events.includes("job started") && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(events).toEqual(["job started"]);

    await runtime.stop();
    events.push("stopped");
    expect(events).toEqual(["job started", "job finished", "stopped"]);
    await expect(get(port, "/healthz")).rejects.toThrow(/ECONNREFUSED/);
    await expect(runtime.sequelize.query("SELECT 1")).rejects.toThrow();
  });

  it("stops waiting at SHUTDOWN_TIMEOUT_MS for a job that does not stop, and still closes", async () => {
    let signal: AbortSignal | undefined;
    let finished = false;
    const stubborn: RunnableJob = {
      queue: "default",
      name: "stubborn-test-job",
      retry: { attempts: 1 },
      async perform(_payload, job) {
        signal = job.signal;
        await new Promise((resolve) => setTimeout(resolve, 3000));
        finished = true;
      },
    };
    const config = testConfig({ ...isolatedEnv(), SHUTDOWN_TIMEOUT_MS: "500" });
    const runtime = await startRuntime({
      config,
      logger: createLogger("silent"),
      extraJobs: [stubborn],
    });
    await runtime.queue.enqueue(stubborn, {}, { jobId: "stubborn-shutdown" });
    const deadline = performance.now() + 5000;
    while (!signal) {
      if (performance.now() > deadline) throw new Error("the job did not start");
      await new Promise((r) => setTimeout(r, 10));
    }

    const stopping = performance.now();
    await runtime.stop();
    // The deadline, plus closing Redis and the database.
    expect(performance.now() - stopping).toBeLessThan(2500);
    expect(signal?.aborted).toBe(true);
    expect(finished).toBe(false);
    await expect(runtime.sequelize.query("SELECT 1")).rejects.toThrow();
    // In a process, exit follows here; in this test the job is let finish in the background.
    await new Promise((r) => setTimeout(r, 3000));
  });

  it("on SIGTERM the server process exits 0 within a few seconds", async () => {
    const server = startEntry("src/server.ts", {
      ...isolatedEnv(),
      AUTO_MIGRATE: "false",
      SEED_DEMO: "false",
    });
    const listening = await server.waitForLog("listening", 60_000);
    expect(await get(listening.port as number, "/healthz")).toBe(200);

    const signalledAt = Date.now();
    server.child.kill("SIGTERM");
    const { code } = await server.exited;
    expect(code).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(5000);
    expect(server.output()).toContain('"msg":"shutdown complete"');
  });

  it("refuses to start on a configuration error and names the setting", async () => {
    const server = startEntry("src/server.ts", {
      PORT: "not-a-port",
      DATABASE_URL: "sqlite::memory:",
    });
    const { code } = await server.exited;
    expect(code).toBe(78);
    expect(server.output()).toContain("PORT:");
  });
});

/** A first start in embedded mode: a fresh SQLite file, migrated and seeded with the demo. */
describe("first start (issue 10, item 13)", () => {
  jest.setTimeout(120_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "crm-first-start-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const firstStartEnv = () => ({
    ...isolatedEnv(),
    DATABASE_URL: `sqlite:${path.join(dir, "crm.sqlite")}`,
    AUTO_MIGRATE: "true",
    SEED_DEMO: "true",
  });
  const migrationCount = readdirSync(path.join(projectRoot, "migrations")).filter(
    (file) => /\.(ts|js)$/.test(file) && !file.endsWith(".d.ts"),
  ).length;

  it("prints the demo login with the address it really listens on, after one line of migrations", async () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger: Logger = pino(
      { level: "info" },
      { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    let printed = "";
    const runtime = await startRuntime({
      config: testConfig({ ...firstStartEnv(), APP_URL: "http://localhost:3000" }),
      logger,
      print: (text) => (printed += text),
    });
    try {
      const url = `http://localhost:${runtime.port}`;
      expect(runtime.port).not.toBe(3000);
      expect(printed).toContain("  e-mail:   demo@example.com");
      expect(printed).toMatch(new RegExp(`Open the app at:\\n  ${url}\\n`));
      expect(printed).toContain(
        `Demo lead-capture form (public, no sign-in):\n  ${url}/f/demo-traders-enquiry\n`,
      );
      expect(printed).not.toContain("localhost:3000");
      expect(lines.filter((line) => line.msg === "migration")).toEqual([]);
      expect(lines.filter((line) => line.msg === "database migrated")).toEqual([
        expect.objectContaining({ applied: migrationCount }),
      ]);
      expect(lines.find((line) => line.msg === "listening")).toMatchObject({ url });
    } finally {
      await runtime.stop();
    }
  });

  it("names loopback and wildcard hosts localhost, and others as they are", () => {
    expect(listeningUrl("127.0.0.1", 4100)).toBe("http://localhost:4100");
    expect(listeningUrl("0.0.0.0", 80)).toBe("http://localhost:80");
    expect(listeningUrl("::", 3000)).toBe("http://localhost:3000");
    expect(listeningUrl("10.1.2.3", 8080)).toBe("http://10.1.2.3:8080");
    expect(listeningUrl("fd00::7", 8080)).toBe("http://[fd00::7]:8080");
  });

  it("`npm start` in development writes short readable lines, and the banner after them", async () => {
    const port = await freePort();
    const server = startEntry("src/server.ts", {
      ...firstStartEnv(),
      PORT: String(port),
      NODE_ENV: "development",
      LOG_FORMAT: "",
    });
    try {
      await waitFor("the demo login", () => server.output().includes("Open the app at:"), {
        timeoutMs: 30_000,
      });
      const output = server.output();
      const logLines = output.split("\n").filter((line) => /^\d\d:\d\d:\d\d /.test(line));
      expect(output.split("\n").filter((line) => line.startsWith("{"))).toEqual([]);
      expect(logLines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/ INFO {2}database migrated applied=\d+ /),
          expect.stringMatching(new RegExp(` INFO {2}listening url=http://localhost:${port} `)),
        ]),
      );
      const banner = output.slice(output.indexOf("Demo account created"));
      expect(banner).toContain(`Open the app at:\n  http://localhost:${port}\n`);
      expect(output.indexOf("listening")).toBeLessThan(output.indexOf("Demo account created"));
    } finally {
      server.child.kill("SIGTERM");
      await server.exited;
    }
  });
});
