import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { projectRoot } from "../../src/config";

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  /** Resolves with the first log line (parsed) that matches. */
  waitForLog: (msg: string, timeoutMs?: number) => Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

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
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
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

  const waitForLog = (msg: string, timeoutMs = 20_000) =>
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
