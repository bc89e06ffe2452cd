/// <reference lib="dom" />
import path from "node:path";
import { screenshotDir, signInWithForm, useBrowserApp, watchPage } from "../support/browser";
import { buildBusiness, buildUser, defaultPassword } from "../factories";

describe("browser smoke", () => {
  const env = useBrowserApp();

  it("loads the home page and signs in with no console error and no request to another host", async () => {
    const user = await buildUser(env.served.deps.models, { name: "Meera Iyer" });
    await buildBusiness(env.served.deps.models, { owner: user, name: "Iyer Florists" });
    const page = await env.browser.newPage();
    const watch = watchPage(page, env.served.baseUrl);

    await page.goto(env.served.baseUrl + "/");
    await page.waitForLoadState("networkidle");
    expect(await page.locator("h1").first().textContent()).toContain("Your customers");
    // Font Awesome's web font loaded: the icon glyph has a width.
    expect(
      await page
        .locator(".fa-right-to-bracket")
        .first()
        .evaluate((el) => el.getBoundingClientRect().width),
    ).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(screenshotDir, "home.png"), fullPage: true });

    await page.getByRole("link", { name: "Sign in" }).first().click();
    await page.getByLabel("E-mail").fill(user.email);
    await page.getByLabel("Password").fill(defaultPassword);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(env.served.baseUrl + "/");
    await page.waitForLoadState("networkidle");
    expect(await page.getByRole("heading", { name: "Dashboard" }).isVisible()).toBe(true);
    expect(await page.getByRole("status").textContent()).toContain("Welcome back.");
    await page.screenshot({ path: path.join(screenshotDir, "dashboard.png"), fullPage: true });

    // Bootstrap's script runs under the CSP: the user menu opens and signs out.
    await page.getByRole("button", { name: /Meera Iyer/ }).click();
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/login/);
    expect(await page.getByText("You have been signed out.").isVisible()).toBe(true);

    expect(watch.problems).toEqual([]);
    await page.close();
  });

  it("on a phone, the sidebar becomes a menu that opens from the top bar", async () => {
    const { owner: user } = await buildBusiness(env.served.deps.models);
    const context = await env.browser.newContext({ viewport: { width: 390, height: 800 } });
    const page = await context.newPage();
    const watch = watchPage(page, env.served.baseUrl);
    await signInWithForm(page, env.served.baseUrl, user.email, defaultPassword);
    await page.waitForURL(env.served.baseUrl + "/");

    const menuLink = page.locator("#sidebar").getByRole("link", { name: "Dashboard" });
    expect(await menuLink.isVisible()).toBe(false);
    await page.getByRole("button", { name: "Open menu" }).click();
    await menuLink.waitFor({ state: "visible" });
    // Let the slide-in finish before the picture.
    await page.waitForFunction(
      () => document.querySelector("#sidebar")?.getBoundingClientRect().left === 0,
    );
    await page.screenshot({ path: path.join(screenshotDir, "dashboard-phone-menu.png") });
    expect(watch.problems).toEqual([]);
    await context.close();
  });
});
