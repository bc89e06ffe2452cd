/**
 * A small user-agent reader for the sessions list and the activity log: "Chrome on Linux",
 * "Safari on iPhone", "API client". It names what people recognise; it is not a full parser.
 */
export type DeviceKind = "desktop" | "phone" | "tablet" | "api" | "unknown";

export interface DeviceDescription {
  browser: string | null;
  os: string | null;
  kind: DeviceKind;
  /** What a person reads, e.g. "Firefox on Windows". */
  label: string;
}

// Order matters: Edge and Opera also say "Chrome", Chrome also says "Safari".
const browsers: Array<[RegExp, string]> = [
  [/\bEdg(e|A|iOS)?\//, "Edge"],
  [/\bOPR\/|\bOpera\b/, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\bCriOS\/|Chrome\/|\bChromium\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\//, "Safari"],
];

const apiClients: Array<[RegExp, string]> = [
  [/^curl\//i, "curl"],
  [/^PostmanRuntime\//, "Postman"],
  [/^python-requests\//i, "Python"],
  [/^okhttp\//i, "OkHttp"],
  [/^(node-fetch|undici|axios)\b/i, "Node.js"],
];

const systems: Array<[RegExp, string, DeviceKind]> = [
  [/\biPhone\b/, "iPhone", "phone"],
  [/\biPad\b/, "iPad", "tablet"],
  [/\bAndroid\b.*\bMobile\b/, "Android", "phone"],
  [/\bAndroid\b/, "Android", "tablet"],
  [/\bCrOS\b/, "ChromeOS", "desktop"],
  [/\bWindows\b/, "Windows", "desktop"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS", "desktop"],
  [/\bLinux\b/, "Linux", "desktop"],
];

function firstMatch<T extends unknown[]>(ua: string, table: Array<[RegExp, ...T]>): T | null {
  for (const [pattern, ...rest] of table) if (pattern.test(ua)) return rest;
  return null;
}

export function describeUserAgent(
  userAgent: string | null | undefined,
  options: { api?: boolean } = {},
): DeviceDescription {
  const ua = (userAgent ?? "").trim();
  const client = firstMatch(ua, apiClients);
  if (client || (options.api && !/\bMozilla\//.test(ua))) {
    const name = client?.[0];
    return {
      browser: name ?? null,
      os: null,
      kind: "api",
      label: name ? `API client (${name})` : "API client",
    };
  }
  const browser = firstMatch(ua, browsers)?.[0] ?? null;
  const system = firstMatch(ua, systems);
  const os = system?.[0] ?? null;
  const kind: DeviceKind = system?.[1] ?? (browser ? "desktop" : "unknown");
  let label: string;
  if (browser && os) label = `${browser} on ${os}`;
  else if (browser) label = browser;
  else if (os) label = `Browser on ${os}`;
  else label = options.api ? "API client" : "Unknown device";
  return { browser, os, kind, label };
}

/** The Font Awesome icon of a device kind. */
export function deviceIcon(kind: DeviceKind): string {
  switch (kind) {
    case "phone":
      return "fa-mobile-screen";
    case "tablet":
      return "fa-tablet-screen-button";
    case "api":
      return "fa-code";
    case "desktop":
      return "fa-desktop";
    default:
      return "fa-display";
  }
}
