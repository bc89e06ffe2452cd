/// <reference lib="dom" />
import path from "node:path";
import type { Page } from "playwright-core";
import { importDemoCustomers } from "../../seeders/20261122002500-demo-customers";
import { buildBusiness, buildCustomer, buildUser, defaultPassword } from "../factories";
import { screenshotDir, signInWithForm, useBrowserApp, watchPage } from "../support/browser";

/**
 * Undo of an import as the demo owner meets it: work done on an imported customer survives the
 * undo, which asks first (without JavaScript too), says what it will do, and reports what it
 * kept — on the import, in the history and on the bell.
 */
const widths = [
  { name: "1366", width: 1366, height: 900 },
  { name: "390", width: 390, height: 844 },
];

async function shoot(page: Page, name: string): Promise<void> {
  for (const { name: width, ...viewport } of widths) {
    await page.setViewportSize(viewport);
    // From the top: fixed bars would otherwise be drawn where the page was scrolled to.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({
      path: path.join(screenshotDir, `${name}-${width}.png`),
      fullPage: true,
    });
    // Nothing sticks out sideways at this width.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect({ page: name, width, overflow }).toEqual({ page: name, width, overflow: 0 });
  }
  await page.setViewportSize(widths[0]!);
}

describe("imports in a browser", () => {
  const env = useBrowserApp();

  it("asks first, keeps the customer worked on since, and reports what it did", async () => {
    const { models, sequelize } = env.served.deps;
    const owner = await buildUser(models, { name: "Demo Owner", planCode: "gold" });
    const { business } = await buildBusiness(models, { owner, name: "Demo Traders" });
    // The demo's own import: 100 customers, notes and tasks on the first three.
    await importDemoCustomers({ sequelize, models, announce: () => undefined }, owner, business);
    const suresh = await models.Customer.findOne({
      where: { businessId: business.id, name: "Suresh Shah" },
    });
    expect(suresh).not.toBeNull();

    // Without JavaScript: every step is a plain form.
    const context = await env.browser.newContext({
      viewport: widths[0],
      javaScriptEnabled: false,
    });
    const page = await context.newPage();
    const watch = watchPage(page, env.served.baseUrl);
    await signInWithForm(page, env.served.baseUrl, owner.email, defaultPassword);
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));

    // Work on Suresh Shah: a note, a task, a new name.
    await page.goto(`${env.served.baseUrl}/customers/${suresh!.id}`);
    await page.getByLabel("Add a note").fill("Wants the Diwali hamper delivered.");
    await page.getByRole("button", { name: "Add note" }).click();
    await page.getByText("Wants the Diwali hamper delivered.").first().waitFor();
    await page.getByRole("link", { name: "Add task" }).click();
    await page.getByLabel("Title").fill("Deliver the hamper");
    await page.getByRole("button", { name: "Create task" }).click();
    await page.goto(`${env.served.baseUrl}/customers/${suresh!.id}/edit`);
    await page.getByLabel("Name", { exact: true }).fill("Suresh K. Shah");
    await page.getByRole("button", { name: "Save customer" }).click();
    await page.getByRole("heading", { name: "Suresh K. Shah" }).waitFor();

    // Imports → ↺: a page that says what will happen, nothing done yet.
    await page.goto(`${env.served.baseUrl}/imports`);
    await shoot(page, "imports-history");
    await page.getByRole("link", { name: "Undo sample_customers_100.xlsx" }).click();
    await page
      .getByRole("heading", { name: "Undo the import of sample_customers_100.xlsx?" })
      .waitFor();
    const plan = page.locator("[data-undo-plan]");
    expect(await plan.locator('[data-plan="deleted"]').innerText()).toContain(
      "97 customers it created are deleted",
    );
    expect(await plan.locator('[data-plan="kept"]').innerText()).toContain(
      "3 customers it created are kept, because work was done on them since:",
    );
    expect(await plan.locator("[data-kept-reasons]").innerText()).toBe(
      "1 edited since · 3 with notes · 3 with tasks",
    );
    expect(await plan.locator("[data-kept-customer]").first().innerText()).toContain(
      "Suresh K. Shah",
    );
    expect(await models.Customer.count({ where: { businessId: business.id } })).toBe(100);
    await shoot(page, "import-undo-confirm");

    await page.getByRole("button", { name: "Undo import" }).click();
    await page.getByText("Undoing the import of sample_customers_100.xlsx.").waitFor();
    // No JavaScript: the page is reloaded until the undo is done.
    for (let i = 0; i < 100; i++) {
      if (await page.locator('[data-status="reverted"]').count()) break;
      await page.waitForTimeout(100);
      await page.reload();
    }
    const result = page.locator("[data-undo-result]");
    expect(await result.locator("[data-undo-entry]").innerText()).toMatch(
      /^Undone by Demo Owner on .+: 97 customers deleted, 0 restored, 3 kept because of work done since/,
    );
    const kept = result.locator("[data-kept-customer]");
    expect(await kept.count()).toBe(3);
    expect(await kept.first().innerText()).toContain("Suresh K. Shah");
    expect(await kept.first().innerText()).toContain("edited since · has notes · has tasks");
    await shoot(page, "import-undo-result");

    // The customer, its note and its task are all still there; the count is exact.
    await kept.first().getByRole("link").click();
    await page.getByText("Wants the Diwali hamper delivered.").first().waitFor();
    await page.getByRole("link", { name: "Deliver the hamper" }).waitFor();
    expect((await business.reload()).customerCount).toBe(3);
    expect(await models.Customer.count({ where: { businessId: business.id } })).toBe(3);

    // The history says who undid it; the bell says it is done.
    await page.goto(`${env.served.baseUrl}/imports`);
    expect(await page.locator("[data-undo-entry]").innerText()).toContain("by Demo Owner");
    await shoot(page, "imports-history-undone");
    await page.goto(`${env.served.baseUrl}/notifications`);
    await page
      .getByRole("link", { name: "Undo of the import of sample_customers_100.xlsx finished" })
      .waitFor();

    expect(watch.problems).toEqual([]);
    await context.close();
  });

  it("previews what the import will do with each row, and updates it as the mode changes", async () => {
    const { models } = env.served.deps;
    const owner = await buildUser(models, { name: "Preview Owner", planCode: "gold" });
    const { business } = await buildBusiness(models, { owner });
    await buildCustomer(models, business, { name: "Asha Old", phoneE164: "+919876500001" });
    const page = await env.browser.newPage({ viewport: widths[0] });
    const watch = watchPage(page, env.served.baseUrl);
    await signInWithForm(page, env.served.baseUrl, owner.email, defaultPassword);
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    await page.goto(`${env.served.baseUrl}/imports/new`);
    await page.getByLabel("CSV or Excel file").setInputFiles({
      name: "new-customers.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(
        [
          "name,phone,email",
          "Asha New,9876500001,asha@example.com",
          "Bala,9876500002,",
          "Bala Again,9876500002,",
          "Chitra,12,",
        ].join("\n"),
      ),
    });
    await page.getByRole("button", { name: "Upload" }).click();
    await page.getByRole("button", { name: "Start import" }).waitFor({ timeout: 20_000 });
    const outcomes = page.locator("[data-row-outcome] .row-outcome");
    expect(await outcomes.allInnerTexts()).toEqual([
      "Skipped: Asha Old already has this number.",
      "New customer.",
      "Skipped: same phone number as row 3 of this file.",
      "Not imported: see the marked cells.",
    ]);
    expect(await page.locator("[data-preview-summary]").innerText()).toBe(
      "Of these 4 rows: 1 new, 2 skipped, 1 not imported (listed in the error report).",
    );
    // Update mode: htmx asks for the preview again.
    await page.getByLabel("updates the customer: these fields, tags added").check();
    await page.getByText("Updates Asha Old: Name, E-mail.").waitFor();
    expect(await page.locator("[data-preview-summary]").innerText()).toBe(
      "Of these 4 rows: 1 new, 1 updates an existing customer, 1 skipped, 1 not imported (listed in the error report).",
    );
    await shoot(page, "import-preview");
    expect(watch.problems).toEqual([]);
    await page.close();
  });
});
