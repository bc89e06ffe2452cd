/// <reference lib="dom" />
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import type { Config } from "../../src/config";
import { routesOf, type EndpointRoute } from "../../src/http/mount";
import { endpoints } from "../../src/routes";
import { screenshotDir } from "./browser";

/**
 * Walks the app's pages as the endpoint tables list them (GET page endpoints), so a page added
 * later is visited too. Responses that are not whole HTML pages (downloads, images, htmx
 * fragments, redirects to another host) are set aside with the reason.
 */
export type RecordFactory = () => Promise<string>;

export interface WalkTarget {
  /** The endpoint's path, e.g. /tasks/:taskId. */
  route: string;
  /** The URL visited, e.g. /tasks/12. */
  url: string;
}

/** GET page endpoints with `filter`'s permission, their :params filled by `records`. */
export async function pagesToWalk(
  config: Config,
  records: Record<string, RecordFactory>,
  filter: (route: EndpointRoute) => boolean = () => true,
): Promise<{ targets: WalkTarget[]; missing: string[] }> {
  const targets: WalkTarget[] = [];
  const missing = new Set<string>();
  for (const route of routesOf(endpoints)) {
    if (route.method !== "GET" || route.auth !== "page") continue;
    if (!(route.endpoint.enabledWhen?.(config) ?? true) || !filter(route)) continue;
    const unknown = route.params.filter((param) => !records[param]);
    if (unknown.length > 0) {
      for (const param of unknown) missing.add(param);
      continue;
    }
    let url = route.path;
    for (const param of route.params)
      url = url.replace(`:${param}`, encodeURIComponent(await records[param]!()));
    targets.push({ route: route.path, url });
  }
  return { targets, missing: [...missing] };
}

export type Probe = { page: true } | { page: false; reason: string };

/** Whether a URL answers a whole HTML page (asked with the context's cookies, no navigation). */
export async function probe(context: BrowserContext, url: string): Promise<Probe> {
  const res = await context.request.get(url, { maxRedirects: 0 });
  const status = res.status();
  const headers = res.headers();
  if (status >= 300 && status < 400) {
    const to = new URL(headers.location ?? "", url);
    if (to.origin !== new URL(url).origin)
      return { page: false, reason: `redirects to ${to.origin}` };
    return { page: true };
  }
  const type = headers["content-type"] ?? "";
  if (!type.startsWith("text/html")) return { page: false, reason: `not a page (${type})` };
  if ((headers["content-disposition"] ?? "").startsWith("attachment"))
    return { page: false, reason: "a download" };
  const body = (await res.text()).trimStart().slice(0, 20).toLowerCase();
  if (!body.startsWith("<!doctype html")) return { page: false, reason: "an htmx fragment" };
  return { page: true };
}

export interface Overflow {
  scrollWidth: number;
  clientWidth: number;
  /** Visible elements wider than the viewport or sticking out of it, outermost first. */
  wide: string[];
}

/** What sticks out sideways on the page as it is now. */
export function measureOverflow(page: Page): Promise<Overflow> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const wide: string[] = [];
    const flagged: Element[] = [];
    for (const element of Array.from(document.body.querySelectorAll("*"))) {
      const style = getComputedStyle(element);
      if (style.display === "none" || style.visibility === "hidden") continue;
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      if (box.width <= width + 1 && box.right <= width + 1 && box.left >= -1) continue;
      // Report the outermost offender only: its children stick out with it.
      if (flagged.some((outer) => outer.contains(element))) continue;
      flagged.push(element);
      const name =
        element.tagName.toLowerCase() +
        (element.id ? `#${element.id}` : "") +
        (typeof element.className === "string" && element.className.trim()
          ? "." + element.className.trim().split(/\s+/).slice(0, 4).join(".")
          : "");
      const text = (element.textContent ?? "").replace(/\s+/g, " ").trim().slice(0, 40);
      wide.push(
        `${name} [${Math.round(box.left)}…${Math.round(box.right)}, ${Math.round(box.width)} px] "${text}"`,
      );
    }
    return { scrollWidth: root.scrollWidth, clientWidth: width, wide };
  });
}

/** A file name for a URL: /tasks/12/delete → tasks-id-delete. */
export function shotName(prefix: string, target: WalkTarget, width: number): string {
  const slug =
    target.route
      .replace(/^\//, "")
      .replace(/:\w+/g, "id")
      .replace(/[^a-z0-9]+/gi, "-")
      .replace(/^-|-$/g, "") || "home";
  return path.join(screenshotDir, `${prefix}-${slug}-${width}.png`);
}
