import pino, { type DestinationStream, type Logger } from "pino";

export type { Logger };

/** json: one JSON object a line (production, log shippers). pretty: short lines for a terminal. */
export type LogFormat = "json" | "pretty";

const levelNames: Record<number, string> = {
  10: "TRACE",
  20: "DEBUG",
  30: "INFO",
  40: "WARN",
  50: "ERROR",
  60: "FATAL",
};
const levelColours: Record<number, string> = { 40: "33", 50: "31", 60: "31" };
/** Fields every line has, or that the pretty line shows in its own place. */
const shownElsewhere = new Set(["level", "time", "pid", "hostname", "msg", "err"]);
const requestFields = new Set([...shownElsewhere, "req", "res", "responseTime"]);

function twoDigits(n: number): string {
  return String(n).padStart(2, "0");
}

/** A value as `key=value` text: strings bare unless they hold spaces, the rest as compact JSON. */
function valueText(value: unknown): string {
  if (typeof value === "string")
    return /\s/.test(value) || value === "" ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

interface Entry {
  level?: number;
  time?: number;
  msg?: string;
  err?: { type?: string; message?: string; stack?: string };
  req?: { method?: string; url?: string };
  res?: { statusCode?: number };
  responseTime?: number;
  [key: string]: unknown;
}

/**
 * One JSON log line as a person reads it: `10:24:51 INFO  listening port=3000 host=127.0.0.1`; a
 * request as `GET /customers 200 12 ms`; an error with its stack below. Anything that is not a
 * JSON object is passed through as it is.
 */
export function prettyLine(json: string, colours = false): string {
  let entry: Entry;
  try {
    entry = JSON.parse(json) as Entry;
  } catch {
    return json.endsWith("\n") ? json : `${json}\n`;
  }
  const time = new Date(entry.time ?? 0);
  const clock = `${twoDigits(time.getHours())}:${twoDigits(time.getMinutes())}:${twoDigits(time.getSeconds())}`;
  const level = entry.level ?? 30;
  const name = (levelNames[level] ?? String(level)).padEnd(5);
  const colour = colours ? levelColours[level] : undefined;
  const label = colour ? `\u001b[${colour}m${name}\u001b[0m` : name;

  // The request log's line (middleware/requestLogger.ts) reads as the request itself.
  const isRequest = entry.req?.method !== undefined && entry.res?.statusCode !== undefined;
  const message = isRequest
    ? `${entry.msg === "request completed" ? "" : `${entry.msg ?? ""}: `}${entry.req?.method} ${entry.req?.url ?? ""} ${entry.res?.statusCode} ${entry.responseTime ?? "?"} ms`
    : (entry.msg ?? "");
  const hidden = isRequest ? requestFields : shownElsewhere;
  const fields = Object.entries(entry)
    .filter(([key]) => !hidden.has(key))
    .map(([key, value]) => `${key}=${valueText(value)}`);
  const head = [clock, label, message, ...fields].filter(Boolean).join(" ");
  const err = entry.err;
  const detail = err
    ? `\n    ${(err.stack ?? `${err.type ?? "Error"}: ${err.message ?? ""}`).replace(/\n/g, "\n    ")}`
    : "";
  return `${head}${detail}\n`;
}

/** Writes pino's JSON lines to stdout as pretty lines (synchronously: a terminal, in development). */
function prettyStdout(): DestinationStream {
  const colours = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  return { write: (line: string) => void process.stdout.write(prettyLine(line, colours)) };
}

/** Structured logs (JSON, or pretty lines in development); secrets never reach them. */
export function createLogger(
  level: string,
  bindings: Record<string, unknown> = {},
  format: LogFormat = "json",
): Logger {
  const options = {
    level,
    base: { pid: process.pid, ...bindings },
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        'res.headers["set-cookie"]',
        "*.password",
        "*.token",
      ],
      censor: "[redacted]",
    },
  };
  return format === "pretty" ? pino(options, prettyStdout()) : pino(options);
}
