import { spawn, type ChildProcess } from "node:child_process";
import { performance } from "node:perf_hooks";
import { createWriteStream, mkdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

/** Child processes for benchmarks: servers on free ports, their output kept in a log file. */

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  name: string;
  url: string;
  child: ChildProcess;
  logFile: string;
  stop(): Promise<void>;
}

function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

/**
 * Starts `command args` with `env`, its stdout and stderr going to `logFile`, and waits until
 * `readyPath` answers 200 (or the process dies, or `timeoutMs` passes).
 */
export async function startServer(options: {
  name: string;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  port: number;
  readyPath: string;
  /** A process without HTTP (a worker) is ready when its log has this line instead. */
  readyLog?: RegExp;
  logFile: string;
  cwd: string;
  timeoutMs?: number;
}): Promise<ServerProcess> {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const log = createWriteStream(options.logFile);
  await new Promise((resolve) => log.once("open", resolve));
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", log, log],
  });
  let exited: string | null = null;
  const exit = new Promise<void>((resolve) =>
    child.once("exit", (code, signal) => {
      exited = `exited with ${signal ?? code}`;
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (exited) {
      throw new Error(`${options.name} ${exited} before it was ready:\n${tail(options.logFile)}`);
    }
    if (options.readyLog) {
      if (options.readyLog.test(tail(options.logFile, 200))) break;
    } else
      try {
        const res = await fetch(url + options.readyPath, { signal: AbortSignal.timeout(2000) });
        if (res.ok) break;
      } catch {
        // Not listening yet.
      }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(
        `${options.name} was not ready within the time limit:\n${tail(options.logFile)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    name: options.name,
    url,
    child,
    logFile: options.logFile,
    stop: async () => {
      if (exited) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exit;
      clearTimeout(timer);
      log.end();
    },
  };
}

/**
 * Waits until `path` answers within 250 ms again (at most two minutes): a server keeps working
 * on the requests a load run abandoned, and the next measurement must not inherit them.
 * Returns the seconds waited.
 */
export async function drain(server: ServerProcess, path: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    const t0 = performance.now();
    try {
      await (await fetch(server.url + path, { signal: AbortSignal.timeout(60_000) })).text();
    } catch {
      // Timed out: still busy.
    }
    const waited = (performance.now() - started) / 1000;
    if (performance.now() - t0 < 250 || waited > 120) return waited;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
