import { spawn, type ChildProcess } from "node:child_process";
import { connect, createServer as createNetServer, type AddressInfo } from "node:net";
import path from "node:path";
import { projectRoot } from "../../src/config";

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first log line (parsed) that matches. */
  waitForLog: (msg: string, timeoutMs?: number) => Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Every child this test file started. A test that fails before stopping its server or worker
 * must not leave it running: one left over (with the real clock, on the worker's database) took
 * over a later file's import whose lease the fake clock had set in the past.
 */
const started = new Set<ChildProcess>();
const killLeftovers = () => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  started.clear();
};
afterAll(killLeftovers);
process.once("exit", killLeftovers);

/** Starts one of the app's entry points from source, as `npm start` / `npm run worker` would. */
export function startEntry(
  entry: "src/server.ts" | "workers/index.ts",
  env: Record<string, string>,
): RunningProcess {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(projectRoot, entry)], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH,
      ENV_FILE: path.join(projectRoot, "test", "no-property.env"),
      SESSION_SECRET: "test-session-secret-that-is-long-enough",
      JWT_SECRET: "test-jwt-secret-that-is-long-enough-too",
      SECRETS_KEY: "5e".repeat(32),
      LOG_LEVEL: "info",
      // Tests read the log lines as JSON (the default outside production is pretty text).
      LOG_FORMAT: "json",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.add(child);
  child.once("exit", () => started.delete(child));
  let output = "";
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );

  const findLog = (msg: string) =>
    output
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((entry) => entry.msg === msg);

  const waitForLog = (msg: string, timeoutMs = 60_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const entry = findLog(msg);
        if (!entry) return;
        cleanup();
        resolve(entry);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`No "${msg}" log line within ${timeoutMs} ms. Output:\n${output}`));
      }, timeoutMs);
      const onExit = () => {
        cleanup();
        reject(new Error(`Process exited before logging "${msg}". Output:\n${output}`));
      };
      const cleanup = () => {
        clearTimeout(timer);
        listeners.delete(check);
        child.off("exit", onExit);
      };
      listeners.add(check);
      child.once("exit", onExit);
      check();
    });

  return { child, output: () => output, waitForLog, exited };
}

/** A TCP port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Polls `condition` every `everyMs` until it holds; fails with `what` after `timeoutMs`. */
export async function waitFor(
  what: string,
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 60_000, everyMs = 20 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > deadline) throw new Error(`Timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * A Redis server of the test's own (never the shared one), without persistence: `restart()` brings
 * it back empty on the same port, as a Redis that lost its memory.
 */
export interface TestRedis {
  url: string;
  /** Kills it (SIGKILL); jobs, schedules and locks are gone. */
  stop(): Promise<void>;
  /** Starts it again, empty, on the same port. */
  start(): Promise<void>;
  restart(): Promise<void>;
}

export async function startRedis(): Promise<TestRedis> {
  const port = await freePort();
  let child: ChildProcess | null = null;
  const ping = () =>
    new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => socket.write("PING\r\n"));
      socket.once("data", (data) => {
        socket.destroy();
        resolve(data.toString().startsWith("+PONG"));
      });
      socket.once("error", () => resolve(false));
    });
  const redis: TestRedis = {
    url: `redis://127.0.0.1:${port}`,
    async start() {
      if (child) throw new Error("test Redis is already running");
      child = spawn(
        "redis-server",
        ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        { stdio: "ignore" },
      );
      const spawned = child;
      started.add(spawned);
      spawned.once("exit", () => started.delete(spawned));
      await waitFor("the test Redis to answer", ping, { timeoutMs: 10_000 });
    },
    async stop() {
      const running = child;
      if (!running) return;
      child = null;
      const exited = new Promise((resolve) => running.once("exit", resolve));
      running.kill("SIGKILL");
      await exited;
    },
    async restart() {
      await redis.stop();
      await redis.start();
    },
  };
  await redis.start();
  return redis;
}
