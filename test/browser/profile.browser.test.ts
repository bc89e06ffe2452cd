/// <reference lib="dom" />
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import { screenshotDir, signInWithForm, useBrowserApp, watchPage } from "../support/browser";
import { buildSession, buildUser, defaultPassword } from "../factories";

describe("profile in a browser", () => {
  const env = useBrowserApp();

  async function signIn(page: Page, email: string): Promise<void> {
    await signInWithForm(page, env.served.baseUrl, email, defaultPassword);
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  }

  it("crops and uploads a photo, and lists sessions, with no console error", async () => {
    const user = await buildUser(env.served.deps.models, { name: "Anita Desai" });
    await buildSession(env.served.deps.models, {
      userId: user.id,
      kind: "api",
      userAgent: "curl/8.5.0",
      ip: "203.0.113.9",
    });
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page, env.served.baseUrl);
    await signIn(page, user.email);

    await page.goto(env.served.baseUrl + "/profile");
    await page.waitForLoadState("networkidle");
    expect(await page.getByRole("heading", { name: "Profile", exact: true }).isVisible()).toBe(
      true,
    );
    await page.screenshot({ path: path.join(screenshotDir, "profile.png"), fullPage: true });

    // A 400×300 picture drawn by the browser itself.
    const picture = await page.evaluate(() => {
      const canvas = document.createElement("canvas");
      canvas.width = 400;
      canvas.height = 300;
      const g = canvas.getContext("2d") as CanvasRenderingContext2D;
      g.fillStyle = "#0d6efd";
      g.fillRect(0, 0, 400, 300);
      g.fillStyle = "#ffc107";
      g.beginPath();
      g.arc(200, 150, 100, 0, Math.PI * 2);
      g.fill();
      return canvas.toDataURL("image/png").split(",")[1] as string;
    });
    await page.setInputFiles("#field-avatar", {
      name: "holiday.png",
      mimeType: "image/png",
      buffer: Buffer.from(picture, "base64"),
    });
    await page.locator(".cropper-container").waitFor({ state: "visible" });
    await page.screenshot({ path: path.join(screenshotDir, "profile-crop.png"), fullPage: true });
    await page.getByRole("button", { name: "Upload photo" }).click();
    await page.getByText("Your photo was updated.").waitFor();

    const saved = await env.served.deps.models.User.findByPk(user.id);
    expect(saved?.avatarPath).toMatch(/\.png$/);
    const file = path.join(env.served.deps.config.uploadsDir, saved?.avatarPath as string);
    const stored = readFileSync(file);
    // The browser sent the cropped 256×256 square, not the 400×300 original.
    expect([stored.readUInt32BE(16), stored.readUInt32BE(20)]).toEqual([256, 256]);
    const shown = page.locator('img[data-slot="avatar"]');
    expect(await shown.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(256);

    await page.goto(env.served.baseUrl + "/profile/sessions");
    await page.waitForLoadState("networkidle");
    expect(await page.getByText("This session").isVisible()).toBe(true);
    expect(await page.getByText("API client (curl)").isVisible()).toBe(true);
    await page.screenshot({
      path: path.join(screenshotDir, "profile-sessions.png"),
      fullPage: true,
    });

    await page.goto(env.served.baseUrl + "/profile/activity");
    await page.waitForLoadState("networkidle");
    expect(await page.getByText("Changed the profile photo").isVisible()).toBe(true);
    await page.screenshot({
      path: path.join(screenshotDir, "profile-activity.png"),
      fullPage: true,
    });

    expect(watch.problems).toEqual([]);
    await page.close();
    rmSync(file, { force: true });
  });

  it("reads well on a phone", async () => {
    const user = await buildUser(env.served.deps.models, { name: "Sunil Menon" });
    const context = await env.browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const watch = watchPage(page, env.served.baseUrl);
    await signIn(page, user.email);
    for (const [url, shot] of [
      ["/profile", "profile-phone.png"],
      ["/profile/sessions", "profile-sessions-phone.png"],
    ] as const) {
      await page.goto(env.served.baseUrl + url);
      await page.waitForLoadState("networkidle");
      // Nothing sticks out sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        390,
      );
      await page.screenshot({ path: path.join(screenshotDir, shot), fullPage: true });
    }
    expect(watch.problems).toEqual([]);
    await context.close();
  });
});
