/// <reference lib="dom" />
import path from "node:path";
import ExcelJS from "exceljs";
import { screenshotDir, signInWithForm, useBrowserApp, watchPage } from "../support/browser";
import { buildBusiness, buildCustomer, buildUser, defaultPassword } from "../factories";

describe("customers in a browser", () => {
  const env = useBrowserApp();

  it("creates, tags, finds, edits, merges and exports customers", async () => {
    const { models } = env.served.deps;
    const owner = await buildUser(models, { name: "Kavita Iyer", planCode: "gold" });
    const { business } = await buildBusiness(models, { owner, name: "Iyer Sweets" });
    await buildCustomer(models, business, { name: "Zoya Khan", tags: ["retail"] });
    const page = await env.browser.newPage({
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    const watch = watchPage(page, env.served.baseUrl);
    const base = env.served.baseUrl;
    await signInWithForm(page, base, owner.email, defaultPassword);
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));

    // Create with tags; the phone is typed the local way.
    await page.goto(base + "/customers");
    await page.getByRole("link", { name: "New customer" }).click();
    await page.getByLabel("Name").fill("Rohan Gupta");
    await page.getByLabel("E-mail").fill("rohan@example.com");
    await page.getByLabel("Phone").fill("98200 12345");
    await page.getByLabel("Tags").fill("VIP, Mumbai");
    await page.getByRole("button", { name: "Save customer" }).click();
    await page.getByText("Rohan Gupta added.").waitFor();
    expect(await page.locator("[data-tags]").innerText()).toContain("vip");
    await page.screenshot({ path: path.join(screenshotDir, "customer-page.png"), fullPage: true });

    // A second record of the same person, typed differently.
    await page.goto(base + "/customers/new");
    await page.getByLabel("Name").fill("Rohan G.");
    await page.getByLabel("Phone").fill("+91 98200 99999");
    await page.getByLabel("Tags").fill("wholesale");
    await page.getByRole("button", { name: "Save customer" }).click();
    await page.getByText("Rohan G. added.").waitFor();

    // The same phone again is refused with a link to the existing customer.
    await page.goto(base + "/customers/new");
    await page.getByLabel("Name").fill("Someone");
    await page.getByLabel("Phone").fill("098200 12345");
    await page.getByRole("button", { name: "Save customer" }).click();
    await page.getByRole("link", { name: "Open the existing customer" }).waitFor();

    // Live search by phone digits: the list updates without a page load.
    await page.goto(base + "/customers");
    await page.getByLabel("Search").fill("12345");
    await page.waitForFunction(
      () => document.querySelectorAll("#customer-results tbody a").length === 1,
    );
    expect(await page.locator("#customer-results tbody a").innerText()).toBe("Rohan Gupta");
    await page.screenshot({
      path: path.join(screenshotDir, "customers-search.png"),
      fullPage: true,
    });

    // Tag filter.
    await page.goto(base + "/customers?tags=vip");
    expect(await page.locator("#customer-results tbody a").allInnerTexts()).toEqual([
      "Rohan Gupta",
    ]);

    // Edit.
    await page.getByRole("link", { name: "Rohan Gupta" }).click();
    await page.getByRole("link", { name: "Edit" }).click();
    await page.getByLabel("Name").fill("Rohan S. Gupta");
    await page.getByRole("button", { name: "Save customer" }).click();
    await page.getByText("Customer saved.").waitFor();
    await page.getByText("Changed name").waitFor();

    // Merge the second record into this one, keeping this name.
    await page.getByRole("link", { name: "Merge", exact: true }).click();
    await page.getByLabel("Find the duplicate").fill("Rohan G.");
    await page.getByRole("button", { name: "Search" }).click();
    await page.getByRole("link", { name: /Rohan G\./ }).click();
    await page.screenshot({ path: path.join(screenshotDir, "customer-merge.png"), fullPage: true });
    await page.getByRole("button", { name: "Merge" }).click();
    await page.getByText("Rohan G. was merged into Rohan S. Gupta.").waitFor();
    expect(await page.locator("[data-tags]").innerText()).toContain("wholesale");

    // Export the filtered list as XLSX and read the file back.
    await page.goto(base + "/customers?q=rohan");
    await page.getByRole("button", { name: "Export" }).click();
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator('[data-export="xlsx"]').click(),
    ]);
    const file = await download.path();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.worksheets[0]!;
    const rows: string[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) rows.push(String(row.getCell(1).value));
    });
    expect(rows).toEqual(["Rohan S. Gupta"]);

    // Phone width: the list still reads.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(base + "/customers");
    await page.screenshot({
      path: path.join(screenshotDir, "customers-phone.png"),
      fullPage: true,
    });
    // The only failed request is the duplicate phone we sent on purpose.
    expect(watch.problems.filter((p) => !p.includes("409"))).toEqual([]);
    expect(watch.problems.some((p) => p.startsWith("HTTP 409"))).toBe(true);
    await page.close();
  });
});
