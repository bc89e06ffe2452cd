/// <reference lib="dom" />
import path from "node:path";
import { screenshotDir, signInWithForm, useBrowserApp, watchPage } from "../support/browser";
import { buildBusiness, buildTask, defaultPassword } from "../factories";
import { toLocalInput } from "../../src/lib/dates";

describe("tasks in a browser", () => {
  const env = useBrowserApp();

  it("creates a task, gets its reminder on the bell and reads it, with no console error", async () => {
    const { models } = env.served.deps;
    const { business, owner } = await buildBusiness(models, { timeZone: "Asia/Kolkata" });
    await buildTask(models, business, {
      title: "Chase the overdue invoice",
      priority: "urgent",
      dueAt: new Date(Date.now() - 86_400_000),
      remindedFor: new Date(Date.now() - 86_400_000),
    });
    const page = await env.browser.newPage({ viewport: { width: 1280, height: 900 } });
    const watch = watchPage(page, env.served.baseUrl);
    await signInWithForm(page, env.served.baseUrl, owner.email, defaultPassword);
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));

    await page.getByRole("link", { name: "Tasks" }).first().click();
    await page.getByRole("heading", { name: "Tasks", exact: true }).waitFor();
    await page.getByRole("link", { name: "New task" }).click();
    await page.getByLabel("Title").fill("Ring the supplier");
    await page.getByLabel("Priority").selectOption("high");
    // Due in five minutes: inside the 15-minute lead, so the reminder goes out at once.
    await page
      .getByLabel("Due")
      .fill(toLocalInput(new Date(Date.now() + 5 * 60_000), business.timeZone));
    await page.screenshot({ path: path.join(screenshotDir, "task-form.png"), fullPage: true });
    await page.getByRole("button", { name: "Create task" }).click();
    await page.getByText("Task “Ring the supplier” created.").waitFor();
    expect(await page.locator("tr.table-danger").textContent()).toContain(
      "Chase the overdue invoice",
    );
    await page.screenshot({ path: path.join(screenshotDir, "tasks.png"), fullPage: true });

    // The reminder job runs in the background; the bell counts it on the next page load.
    const bell = page.locator('[data-slot="notifications"] .badge');
    for (let i = 0; i < 50 && !(await bell.isVisible()); i++) {
      await page.waitForTimeout(100);
      await page.reload();
    }
    expect(await bell.textContent()).toBe("1");
    await page.locator('[data-slot="notifications"]').click();
    await page.getByRole("link", { name: "Task due: Ring the supplier" }).waitFor();
    await page.screenshot({ path: path.join(screenshotDir, "notifications.png"), fullPage: true });
    await page.getByRole("button", { name: "Mark all as read" }).click();
    await page.getByText("All notifications marked as read.").waitFor();
    expect(await bell.count()).toBe(0);

    expect(watch.problems).toEqual([]);
    await page.close();
  });
});
