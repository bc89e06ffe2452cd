/// <reference lib="dom" />
import path from "node:path";
import { screenshotDir, signInWithForm, useBrowserApp, watchPage } from "../support/browser";
import { buildBusiness, buildMember, buildUser, defaultPassword } from "../factories";

const phone = { width: 390, height: 844 };

describe("dashboard in a browser", () => {
  const env = useBrowserApp();

  it("shows a new business the checklist, ticking off customers and team, in one column at 390 px", async () => {
    const { models } = env.served.deps;
    const owner = await buildUser(models, { name: "Nisha Menon", planCode: "gold" });
    await buildBusiness(models, { owner, name: "Menon Textiles" });
    const page = await env.browser.newPage({ viewport: phone });
    const watch = watchPage(page, env.served.baseUrl);
    await signInWithForm(page, env.served.baseUrl, owner.email, defaultPassword);
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();

    const checklist = page.locator('[data-slot="checklist"]');
    expect(await checklist.getByText("Get started").isVisible()).toBe(true);
    for (const item of ["customers", "team"])
      expect(await checklist.locator(`[data-item="${item}"][data-done="no"]`).count()).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      phone.width,
    );
    await page.screenshot({
      path: path.join(screenshotDir, "dashboard-new-phone.png"),
      fullPage: true,
    });

    // Item one: a customer, from the quick action.
    await page.getByRole("link", { name: "Add customer" }).click();
    await page.getByLabel("Name").fill("Rohan Gupta");
    await page.getByLabel("Phone").fill("98200 12345");
    await page.getByRole("button", { name: "Save customer" }).click();
    await page.waitForURL(/\/customers\/\d+/);
    // Item two: a teammate invited.
    await page.goto(env.served.baseUrl + "/team");
    await page.getByLabel("E-mail").fill("teammate@example.test");
    await page.getByRole("button", { name: "Send invitation" }).click();
    await page.waitForURL(/\/team/);

    await page.goto(env.served.baseUrl + "/");
    expect(await checklist.locator('[data-item="customers"][data-done="yes"]').count()).toBe(1);
    expect(await checklist.locator('[data-item="team"][data-done="yes"]').count()).toBe(1);
    const customers = page.locator('[data-card="customers"]');
    expect(await customers.getByRole("link", { name: /1 in all/ }).isVisible()).toBe(true);
    // Cards stack: each as wide as the content column.
    const widths = await page
      .locator("[data-card]")
      .evaluateAll((cards) => cards.map((c) => c.getBoundingClientRect().width));
    expect(new Set(widths.map(Math.round)).size).toBe(1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      phone.width,
    );
    await page.screenshot({
      path: path.join(screenshotDir, "dashboard-phone.png"),
      fullPage: true,
    });

    // Search and activity fit the phone too; search answers from the dashboard's box.
    await page.locator("#dashboard-search-q").fill("Rohan");
    await page.locator("#dashboard-search-q").press("Enter");
    await page.waitForURL(/\/search\?q=Rohan/);
    const found = page.locator('[data-group="customer"]').getByText("Rohan Gupta");
    expect(await found.isVisible()).toBe(true);
    for (const url of ["/search?q=Rohan", "/activity", "/activity?kind=customer&from=2026-01-01"]) {
      await page.goto(env.served.baseUrl + url);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      expect({ url, width }).toEqual({ url, width: phone.width });
    }
    expect(await page.getByText("added the customer").isVisible()).toBe(true);
    expect(watch.problems).toEqual([]);
    await page.close();
  });

  it("updates the bell and the tasks card without a reload when a task is assigned from another session", async () => {
    const { models } = env.served.deps;
    const { business, owner } = await buildBusiness(models, { name: "Menon Traders" });
    const { user: asha } = await buildMember(models, business, "manager");
    await asha.update({ name: "Asha Iyer" });
    const page = await env.browser.newPage({ viewport: { width: 1366, height: 900 } });
    const watch = watchPage(page, env.served.baseUrl);
    await signInWithForm(page, env.served.baseUrl, owner.email, defaultPassword);
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    const bell = page.locator('[data-slot="notifications"]');
    // The stream's first count arrives once live.js is connected.
    await page.waitForFunction(() =>
      document.querySelector('[data-slot="notifications"]')?.hasAttribute("data-unread"),
    );
    expect(await bell.locator(".badge").count()).toBe(0);
    const overdue = page.locator('[data-card="tasks"] a[href="/tasks?due=overdue"]');
    expect((await overdue.textContent())?.replace(/\s+/g, " ").trim()).toBe("0 overdue");

    // Asha, in her own browser session, gives the owner a task that is already overdue.
    const other = await env.browser.newContext({ viewport: { width: 1366, height: 900 } });
    const ashaPage = await other.newPage();
    await signInWithForm(ashaPage, env.served.baseUrl, asha.email, defaultPassword);
    await ashaPage.getByRole("heading", { name: "Dashboard" }).waitFor();
    await ashaPage.goto(env.served.baseUrl + "/tasks/new");
    await ashaPage.getByLabel("Title").fill("Call Rohan about the sample");
    await ashaPage.getByLabel("Due").fill("2020-01-06T10:30");
    await ashaPage.getByLabel("Assigned to").selectOption(String(owner.id));
    await ashaPage.getByRole("button", { name: "Create task" }).click();
    await ashaPage.waitForURL(/\/tasks/);

    // Two live notices: the assignment and, since the task is due in 2020, its due reminder
    // (queued when the task was saved; either may arrive first).
    await page.waitForFunction(
      () =>
        document.querySelector('[data-slot="notifications"]')?.getAttribute("aria-label") ===
        "Notifications, 2 unread",
    );
    expect(await bell.locator(".badge").textContent()).toBe("2");
    await page.waitForFunction(() =>
      document.querySelector('[data-card="tasks"]')?.hasAttribute("data-refreshed"),
    );
    expect((await overdue.textContent())?.replace(/\s+/g, " ").trim()).toBe("1 overdue");
    await page.screenshot({ path: "/tmp/h6/dashboard-live-1366.png", fullPage: true });
    await bell.click();
    await page.getByText("Asha Iyer assigned you a task: Call Rohan about the sample").waitFor();
    expect(watch.problems).toEqual([]);
    await other.close();
    await page.close();
  });
});
