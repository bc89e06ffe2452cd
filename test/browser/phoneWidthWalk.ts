/// <reference lib="dom" />
import type { Browser, BrowserContext } from "playwright-core";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { screenshotDir, watchPage } from "../support/browser";
import { measureOverflow, probe, shotName, type WalkTarget } from "../support/pageWalk";

/** The phone-width walk itself: visit each page at 390 and 1366 px, measure at 390, shoot both. */
export const phone = { width: 390, height: 844 };
export const desktop = { width: 1366, height: 900 };

export interface WalkResult {
  visited: string[];
  skipped: string[];
  problems: string[];
}

/** The pages checked and those set aside, beside the screenshots (var/screenshots/<prefix>-pages.txt). */
export function writeSummary(prefix: string, result: WalkResult): void {
  const lines = [
    `Checked at 390 px (and shot at 390 and 1366 px):`,
    ...result.visited.map((route) => `  ${route}`),
    `Set aside (not a whole page):`,
    ...result.skipped.map((reason) => `  ${reason}`),
  ];
  writeFileSync(path.join(screenshotDir, `${prefix}-pages.txt`), lines.join("\n") + "\n");
}

export async function walk(
  browser: Browser,
  baseUrl: string,
  prepare: (context: BrowserContext) => Promise<void>,
  targets: WalkTarget[],
  prefix: string,
): Promise<WalkResult> {
  const result: WalkResult = { visited: [], skipped: [], problems: [] };
  for (const viewport of [phone, desktop]) {
    const context = await browser.newContext({ viewport });
    await prepare(context);
    const page = await context.newPage();
    const watch = watchPage(page, baseUrl);
    for (const target of targets) {
      const seen = await probe(context, baseUrl + target.url);
      if (!seen.page) {
        if (viewport === phone) result.skipped.push(`${target.route}: ${seen.reason}`);
        continue;
      }
      const before = watch.problems.length;
      const response = await page.goto(baseUrl + target.url);
      await page.waitForLoadState("networkidle");
      const status = response?.status() ?? 0;
      if (status >= 400) {
        // A page answering 4xx on purpose (a link's token missing): its own status is no problem.
        const own = [
          `HTTP ${status}: ${response?.url()}`,
          `console error: Failed to load resource: the server responded with a status of ${status} (`,
        ];
        const fresh = watch.problems.splice(before);
        for (const expected of own) {
          const at = fresh.findIndex((p) => p.startsWith(expected));
          if (at >= 0) fresh.splice(at, 1);
        }
        watch.problems.push(...fresh);
      }
      if (viewport === phone) {
        result.visited.push(target.route);
        const overflow = await measureOverflow(page);
        if (overflow.scrollWidth > overflow.clientWidth || overflow.wide.length > 0)
          result.problems.push(
            `${target.url} is ${overflow.scrollWidth} px wide: ${overflow.wide.join("; ")}`,
          );
      }
      await page.screenshot({ path: shotName(prefix, target, viewport.width), fullPage: true });
    }
    result.problems.push(...watch.problems);
    await context.close();
  }
  return result;
}
