/// <reference lib="dom" />
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { buildBusiness, buildUser, defaultPassword } from "../factories";
import { buildSocialAccount } from "../factoriesSocial";
import { buildTestApp, type TestApp } from "../support/app";
import {
  launchBrowser,
  reportFailures,
  screenshotDir,
  signInWithForm,
  trafficLog,
  watchPage,
} from "../support/browser";
import { measureOverflow } from "../support/pageWalk";
import { startSocialOAuth, type SocialOAuthServer } from "../standins/social/oauth";
import { SocialStandIn } from "../standins/social/server";
import { FakeClock } from "../../src/lib/clock";
import { localParts } from "../../src/lib/dates";

/**
 * Issue 14 end to end: a marketer connects LinkedIn and X by walking each OAuth flow (Connect →
 * the OAuth stand-in's authorize endpoint, oauth2-mock-server, which sends the browser straight
 * back with a code → /social/accounts saying "Connected"), uploads a picture, schedules a post
 * with it to both, watches it publish (the app's clock moved to the due time), and reads X's
 * explained failure. Every page is shot at 1366 and 390 px and checked for sideways scrolling.
 */
jest.setTimeout(180_000);

const png = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
  "hex",
);

describe("social publisher in a browser", () => {
  const standIn = new SocialStandIn();
  const clock = new FakeClock(Math.ceil(Date.now() / 60_000) * 60_000);
  let oauth: SocialOAuthServer;
  let t: TestApp;
  let server: Server;
  let base: string;
  let browser: Browser;
  const traffic = trafficLog();
  reportFailures(() => ({ browser, traffic: traffic.lines }));

  beforeAll(async () => {
    // Who signs in on each network's consent page (the stand-in sends the browser straight back).
    oauth = await startSocialOAuth({
      people: {
        linkedin: { sub: "iyer-sweets", name: "Iyer Sweets" },
        x: { sub: "1789001", name: "IyerSweets" },
      },
    });
    await standIn.start();
    standIn.trustIssuer(oauth.url);
    standIn.now = () => clock.nowMs();
    // The app listens first: its APP_URL makes the callback address the networks send back to.
    let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
    server = createServer((req, res) => {
      traffic.track(req, res);
      handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    t = await buildTestApp(
      { ...oauth.settings(), ...standIn.settings(), APP_URL: base },
      { clock },
    );
    handle = t.app;
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await t?.close();
    await standIn.stop();
    await oauth?.stop();
  });

  const shoot = async (page: Page, name: string) => {
    for (const width of [1366, 390]) {
      await page.setViewportSize({ width, height: 900 });
      await page.screenshot({
        path: path.join(screenshotDir, `social-${name}-${width}.png`),
        fullPage: true,
      });
      const overflow = await measureOverflow(page);
      expect({ page: name, width, wide: overflow.wide }).toEqual({ page: name, width, wide: [] });
    }
    await page.setViewportSize({ width: 1366, height: 900 });
  };

  it("schedules a post with a picture, watches it publish, and explains X's failure", async () => {
    const { models } = t.deps;
    const owner = await buildUser(models, { name: "Meera Iyer", planCode: "enterprise" });
    const { business } = await buildBusiness(models, {
      owner,
      name: "Iyer Sweets",
      timeZone: "Asia/Kolkata",
    });
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const watch = watchPage(page, base);
    await signInWithForm(page, base, owner.email, defaultPassword);
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    await page.getByRole("link", { name: "Social posts" }).first().click();
    await page.getByText("No posts yet.").waitFor();
    await shoot(page, "posts-empty");

    await page.goto(`${base}/social/accounts`);
    await page.getByText("No accounts connected yet.").waitFor();
    await shoot(page, "accounts-empty");
    for (const [name, shown] of [
      ["LinkedIn", "Iyer Sweets"],
      ["X", "@iyersweets"],
    ] as const) {
      const back = page.waitForResponse(
        (r) => r.url().startsWith(`${base}/social/accounts/`) && r.url().includes("/callback"),
      );
      await page.getByRole("link", { name: `Connect ${name}`, exact: true }).click();
      expect((await back).status()).toBe(302);
      await page.getByText(`${name} connected: ${shown}.`).waitFor({ timeout: 10_000 });
      const row = page.locator("[data-account]").filter({ hasText: shown });
      await expect(row.locator("[data-state]").textContent()).resolves.toBe("Connected");
    }
    await shoot(page, "accounts-connected");
    const accounts = await models.SocialAccount.findAll({
      where: { businessId: business.id },
      order: [["id", "ASC"]],
    });
    expect(accounts.map((a) => [a.network, a.externalId, a.status])).toEqual([
      ["linkedin", "urn:li:person:iyer-sweets", "connected"],
      ["x", "1789001", "connected"],
    ]);

    await page.goto(`${base}/social/media`);
    await page
      .getByLabel("Add a picture or video")
      .setInputFiles({ name: "sweets.png", mimeType: "image/png", buffer: png });
    await page.getByRole("button", { name: "Upload" }).click();
    await page.getByText("sweets.png added to the library.").waitFor();
    // A video gets the server's poster (name, type, size), shown like a picture's thumbnail.
    const video = Buffer.alloc(4096, 1);
    video.write("\u0000\u0000\u0000\u0018ftypmp42", 0, "latin1");
    await page
      .getByLabel("Add a picture or video")
      .setInputFiles({ name: "workshop.mp4", mimeType: "video/mp4", buffer: video });
    await page.getByRole("button", { name: "Upload" }).click();
    await page.getByText("workshop.mp4 added to the library.").waitFor();
    await page.waitForFunction(
      () =>
        document.querySelector<HTMLImageElement>('img[alt="workshop.mp4"]')?.naturalWidth === 320,
    );
    await shoot(page, "media");

    await page.goto(`${base}/social/templates`);
    await shoot(page, "templates");
    await page
      .locator('[data-occasion="diwali"]')
      .getByRole("button", { name: "Use this template" })
      .click();
    await page.getByRole("heading", { name: "New post" }).waitFor();
    await page.getByLabel(/LinkedIn · Iyer Sweets/).check();
    await page.getByLabel(/X · @iyersweets/).check();
    await page.getByLabel("sweets.png").check();
    const due = new Date(clock.nowMs() + 5 * 60_000);
    const local = localParts(due, "Asia/Kolkata");
    const pad = (n: number) => String(n).padStart(2, "0");
    await page
      .getByLabel(/Date and time/)
      .fill(
        `${local.year}-${pad(local.month)}-${pad(local.day)}T${pad(local.hour)}:${pad(local.minute)}`,
      );
    await page.getByLabel("Schedule", { exact: true }).check();
    await expect(page.locator('[data-network="x"] [data-counter]').textContent()).resolves.toMatch(
      /\/ 280/,
    );
    await shoot(page, "form");
    // X will refuse the post for its content. The app's clock stands just before the due time when
    // the post is saved: BullMQ (the MariaDB + Redis run) times its delayed job by the wall clock,
    // so the job comes due seconds later, not minutes; the in-process queue waits for the clock.
    standIn.failNext("x", "content_policy");
    await clock.set(due.getTime() - 3000);
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Post scheduled.").waitFor();
    await shoot(page, "post-scheduled");

    await page.goto(`${base}/social/calendar`);
    await shoot(page, "calendar-month");
    await page.goto(`${base}/social/calendar?view=week`);
    await shoot(page, "calendar-week");

    // The due time comes; X refuses the post for its content.
    await clock.set(due.getTime() + 60_000);
    const post = await models.SocialPost.findOne({ where: { businessId: business.id } });
    for (let i = 0; i < 300; i++) {
      await post!.reload();
      if (post!.status === "partially_failed" || post!.status === "published") break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await page.goto(`${base}/social/posts/${post!.id}`);
    await page.locator('[data-post-status="partially_failed"]').waitFor();
    await expect(page.locator('[data-target-status="published"]').count()).resolves.toBe(1);
    const failure = page.locator('[data-target-status="failed"] [data-failure]');
    await expect(failure.textContent()).resolves.toMatch(/Content refused.*What to do/s);
    await shoot(page, "post-failed");
    await page.goto(`${base}/social`);
    await shoot(page, "posts");
    expect(
      standIn.posts.filter((p) => p.network === "linkedin" && p.text.includes("Diwali")),
    ).toHaveLength(1);
    // The only other host the browser went to is the OAuth stand-in's authorize endpoint, twice.
    const elsewhere = watch.problems.filter((p) => p.startsWith("request to another host: "));
    expect(elsewhere.map((p) => new URL(p.slice(p.indexOf("http"))).pathname)).toEqual([
      "/authorize",
      "/authorize",
    ]);
    expect(watch.problems.filter((p) => !elsewhere.includes(p))).toEqual([]);

    // Downgraded to Gold (10 accounts) with 11 connected: the last one is read-only, linked to
    // the plans, on the accounts page and in the composer.
    for (let i = 0; i < 9; i += 1)
      await buildSocialAccount(models, business, t.deps.config.secretsKey, "facebook", {
        standIn,
        now: clock.now(),
        overrides: { displayName: `Iyer Sweets branch ${i + 1}` },
      });
    await owner.update({ planCode: "gold" });
    await page.goto(`${base}/social/accounts`);
    await expect(page.locator("[data-read-only]").count()).resolves.toBe(1);
    await expect(
      page
        .locator("[data-read-only]")
        .getByRole("link", { name: "See the plans" })
        .getAttribute("href"),
    ).resolves.toMatch(/^\/pricing/);
    await shoot(page, "accounts-read-only");
    await page.goto(`${base}/social/posts/new`);
    await expect(page.locator("[data-read-only]").count()).resolves.toBe(1);
    await shoot(page, "form-read-only");
  });
});
