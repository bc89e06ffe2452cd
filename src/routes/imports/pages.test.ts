import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import ExcelJS from "exceljs";
import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, type Agent } from "../../../test/support/customers";
import { buildCustomer } from "../../../test/factories";
import { csrfFrom } from "../../../test/support/forms";
import { sampleCsv, tempDir } from "../../../test/support/imports";
import { parseServerTiming } from "../../lib/requestTiming";

// Each test waits for import jobs that share the machine with the whole suite in CI.
jest.setTimeout(120_000);

/** The import pages as a person uses them: upload, map, preview, start, watch, undo. */
describe("import pages", () => {
  let t: TestApp;
  let uploads: string;

  beforeAll(async () => {
    uploads = tempDir("crm-import-pages-");
    t = await buildTestApp({ UPLOADS_DIR: uploads, IMPORT_MAX_BYTES: "20000" });
  });
  afterAll(async () => {
    await t.close();
    rmSync(uploads, { recursive: true, force: true });
  });

  /**
   * The multipart form's token, as the page renders it: a hidden field before the file (read with
   * it), never in the action's URL. Sent the same way: `.field("_csrf", …)` before `.attach`.
   */
  async function uploadToken(agent: Agent): Promise<string> {
    const page = await agent.get("/imports/new").expect(200);
    const form =
      /<form method="post" action="([^"]+)" enctype="multipart\/form-data"[^>]*>\s*<input type="hidden" name="_csrf" value="([0-9a-f]+)">/.exec(
        page.text,
      );
    expect(form?.[1]).toBe("/imports");
    return form?.[2] ?? "";
  }

  /**
   * Polls the page until `done`, for up to 45 s: the import's jobs run beside the whole
   * suite in CI, where 200 polls (~10 s) once ran out before a workbook's analysis finished.
   */
  async function until(agent: Agent, url: string, done: (text: string) => boolean) {
    const deadline = performance.now() + 45_000;
    for (;;) {
      const res = await agent.get(url);
      if (done(res.text)) return res;
      if (performance.now() > deadline)
        throw new Error(
          `${url} never reached the expected state; last page:\n${res.text.slice(-3000)}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it("uploads, shows the mapping with a preview, imports with live progress, and undoes", async () => {
    const { agent, business } = await ownerSignedIn(t, "gold");
    const upload = await agent
      .post("/imports")
      .field("_csrf", await uploadToken(agent))
      .attach("file", sampleCsv);
    expect(upload.status).toBe(303);
    const show = upload.headers.location as string;
    expect(show).toMatch(/^\/imports\/\d+$/);

    // The file is read in the background; then the page offers the mapping and the first rows.
    const mapping = await until(agent, show, (text) => text.includes("Start import"));
    expect(mapping.text).toContain('<option value="0" selected>name</option>');
    expect(mapping.text).toContain("These rows are all valid and new.");
    expect((mapping.text.match(/cell-valid/g) ?? []).length).toBe(10 * 6);
    expect((mapping.text.match(/data-row-outcome="new"/g) ?? []).length).toBe(10);
    const csrf = csrfFrom(mapping);

    // Mapping the e-mail column as the phone: htmx asks for the preview again.
    const fields = { _csrf: csrf, map_name: "0", map_phone: "2", map_email: "", mode: "skip" };
    const preview = await agent
      .post(`${show}/preview`)
      .set("HX-Request", "true")
      .set("X-CSRF-Token", csrf)
      .type("form")
      .send(fields);
    expect(preview.status).toBe(200);
    expect(preview.text).toMatch(/^<div id="import-preview">/);
    expect(preview.text).toContain("Phone: Enter a valid phone number.");
    expect(preview.text).toContain(
      "Of these 10 rows: 10 not imported (listed in the error report).",
    );

    const start = await agent.post(`${show}/start`).type("form").send({
      _csrf: csrf,
      map_name: "0",
      map_phone: "1",
      map_email: "2",
      map_whatsapp: "3",
      map_tags: "4",
      map_consentAt: "5",
      mode: "skip",
    });
    expect(start.status).toBe(303);
    const done = await until(agent, `${show}/progress`, (text) =>
      text.includes('data-status="completed"'),
    );
    expect(done.text).toContain('data-count="created">100<');
    const refresh = await agent.get(`${show}/progress`).set("HX-Request", "true");
    expect(refresh.headers["hx-refresh"]).toBe("true");
    expect(await t.deps.models.Customer.count({ where: { businessId: business.id } })).toBe(100);
    // The stored copy is gone once the import is done.
    expect(readdirSync(path.join(uploads, "imports"))).toEqual([]);

    const history = await agent.get("/imports").expect(200);
    expect(history.text).toContain("sample_customers_100.csv");
    expect(history.text).toContain("Owner Person");

    // Undo asks first, saying what it will do; the page's button is a plain link to that.
    const summary = await agent.get(show);
    expect(summary.text).toContain(`href="${show}/revert"`);
    expect(summary.text).not.toContain(`action="${show}/revert"`);
    const confirm = await agent.get(`${show}/revert`).expect(200);
    expect(confirm.text).toContain("<strong>100 customers</strong> it created are deleted");
    expect(confirm.text).toContain("<strong>No customer</strong> it created is kept: none has");
    expect(confirm.text).toContain("The business goes from 100 to 0 customers.");
    expect(confirm.text).toContain(`<form method="post" action="${show}/revert"`);
    const undo = await agent
      .post(`${show}/revert`)
      .type("form")
      .send({ _csrf: csrfFrom(confirm) });
    expect(undo.status).toBe(303);
    await until(agent, `${show}/progress`, (text) => text.includes('data-status="reverted"'));
    expect(await t.deps.models.Customer.count({ where: { businessId: business.id } })).toBe(0);
    const result = await agent.get(show);
    expect(result.text).toMatch(
      /data-undo-entry>Undone by Owner Person on [^<]+?: 100 customers deleted, 0 restored/,
    );
    expect(result.text).toContain('data-undo-count="deleted">100<');
    const after = await agent.get("/imports");
    expect(after.text).toContain("by Owner Person");
    expect(after.text).toContain("100 deleted, 0 restored, 0 kept");
    // Once undone, the confirmation says it cannot be done again.
    expect((await agent.get(`${show}/revert`)).text).toContain("it has been undone already");
  });

  it("says in the preview what the import will do with each row, in one lookup", async () => {
    const { agent, business } = await ownerSignedIn(t, "gold");
    await buildCustomer(t.deps.models, business, {
      name: "Asha Old",
      phoneE164: "+919876500001",
    });
    const file = [
      "name,phone,email",
      "Asha New,9876500001,asha@example.com",
      "Bala,9876500002,",
      "Bala Again,9876500002,",
    ].join("\n");
    const upload = await agent
      .post("/imports")
      .field("_csrf", await uploadToken(agent))
      .attach("file", Buffer.from(file), "rows.csv");
    const show = upload.headers.location as string;
    const mapping = await until(agent, show, (text) => text.includes("Start import"));
    expect(mapping.text).toContain("Of these 3 rows: 1 new, 2 skipped.");
    expect(mapping.text).toContain("Skipped: Asha Old already has this number.");
    expect(mapping.text).toContain("Skipped: same phone number as row 3 of this file.");
    const csrf = csrfFrom(mapping);
    const fields = { _csrf: csrf, map_name: "0", map_phone: "1", map_email: "2", mode: "update" };
    const preview = await agent
      .post(`${show}/preview`)
      .set("HX-Request", "true")
      .set("X-CSRF-Token", csrf)
      .type("form")
      .send({ ...fields, update: ["name", "email"] });
    expect(preview.text).toContain("Updates Asha Old: Name, E-mail.");
    expect(preview.text).toMatch(/<a href="\/customers\/\d+">Updates Asha Old/);
    // The session and context, the import, and the phones of its rows: nothing per row.
    const timing = parseServerTiming(preview.headers["server-timing"] as string).db?.desc ?? "";
    expect(Number(/^(\d+) statements?$/.exec(timing)?.[1])).toBeLessThanOrEqual(4);
  });

  it("shows the polling progress bar while an import runs", async () => {
    const { agent } = await ownerSignedIn(t, "gold");
    const upload = await agent
      .post("/imports")
      .field("_csrf", await uploadToken(agent))
      .attach("file", sampleCsv);
    const id = Number(String(upload.headers.location).split("/").pop());
    await until(agent, `/imports/${id}`, (text) => text.includes("Start import"));
    await t.deps.models.Import.update(
      {
        status: "running",
        totalRows: 100,
        processedRows: 40,
        runStartedAt: new Date(Date.now() - 2000),
        runStartRows: 0,
      },
      { where: { id } },
    );
    const page = await agent.get(`/imports/${id}/progress`);
    expect(page.text).toContain(`hx-get="/imports/${id}/progress" hx-trigger="every 1s"`);
    expect(page.text).toContain('<progress class="import-progress" max="100" value="40"');
    expect(page.text).toMatch(/data-rate>\d+ rows\/s/);
    expect(page.text).toMatch(/data-eta>about \d+ s left/);
    await t.deps.models.Import.update({ status: "failed" }, { where: { id } });
  });

  it("says so when a file is too large or not a spreadsheet", async () => {
    const { agent } = await ownerSignedIn(t, "gold");
    const big = await agent
      .post("/imports")
      .field("_csrf", await uploadToken(agent))
      .attach("file", Buffer.alloc(30_000, "a"), "big.csv");
    expect(big.status).toBe(413);
    expect(big.text).toContain("The file is larger than 20 KB, the most one import takes.");
    const pdf = await agent
      .post("/imports")
      .field("_csrf", await uploadToken(agent))
      .attach("file", Buffer.from("%PDF-1.7"), "report.pdf");
    expect(pdf.status).toBe(422);
    expect(pdf.text).toContain("Upload a CSV file (.csv) or an Excel workbook (.xlsx).");
    // Text renamed .xlsx is refused by its content, as an image would be.
    const renamed = await agent
      .post("/imports")
      .field("_csrf", await uploadToken(agent))
      .attach("file", Buffer.from("just some notes\n"), "customers.xlsx");
    expect(renamed.status).toBe(422);
    expect(renamed.text).toContain("The file is named .xlsx but is not an Excel workbook.");
    // Nothing is left behind by refused uploads.
    const dir = path.join(uploads, "imports");
    expect(existsSync(dir) ? readdirSync(dir).filter((f) => f.startsWith("upload-")) : []).toEqual(
      [],
    );
  });

  it("finds the sheet with customers, and reads another sheet on request", async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet("Readme").addRow(["Fill the other sheet"]);
    const sheet = workbook.addWorksheet("Clients");
    sheet.addRow(["Client", "Cell"]);
    sheet.addRow(["Ravi Kumar", 9876543210]);
    const buffer = Buffer.from(await workbook.xlsx.writeBuffer());
    const { agent } = await ownerSignedIn(t, "gold");
    const upload = await agent
      .post("/imports")
      .field("_csrf", await uploadToken(agent))
      .attach("file", buffer, "clients.xlsx");
    const show = upload.headers.location as string;
    // The first sheet holds no customers: the next one is read.
    const mapping = await until(agent, show, (text) => text.includes("Start import"));
    expect(mapping.text).toContain('<option value="Clients" selected>Clients</option>');
    expect(mapping.text).toContain('<option value="0" selected>Client</option>');
    expect(mapping.text).toContain('<option value="1" selected>Cell</option>');

    const picked = await agent
      .post(`${show}/sheet`)
      .type("form")
      .send({ _csrf: csrfFrom(mapping), sheet: "Readme" });
    expect(picked.status).toBe(303);
    const failed = await until(agent, show, (text) => text.includes('data-status="failed"'));
    expect(failed.text).toContain("header row but no customers");
  });

  it("discards an upload nobody starts", async () => {
    const { agent } = await ownerSignedIn(t, "gold");
    const upload = await agent
      .post("/imports")
      .field("_csrf", await uploadToken(agent))
      .attach("file", sampleCsv);
    const show = upload.headers.location as string;
    const mapping = await until(agent, show, (text) => text.includes("Start import"));
    const discard = await agent
      .post(`${show}/discard`)
      .type("form")
      .send({ _csrf: csrfFrom(mapping) });
    expect(discard.status).toBe(303);
    expect(discard.headers.location).toBe("/imports");
    const history = await agent.get("/imports");
    expect(history.text).not.toContain(`data-import-id="${show.split("/").pop()}"`);
    const record = await t.deps.models.Import.findByPk(Number(show.split("/").pop()));
    expect(record).toMatchObject({ status: "discarded", storedName: null });
  });

  it("asks for an upgrade on a plan without imports", async () => {
    const { agent } = await ownerSignedIn(t, "free");
    const res = await agent.get("/imports/new");
    expect(res.status).toBe(402);
    expect(res.text).toContain(
      "The Silver plan and above include Imports; this business is on the Free plan.",
    );
    expect(res.text).toContain('href="/pricing/silver#feature-imports"');
    const list = await agent.get("/imports").expect(200);
    expect(list.text).toContain(
      "The Silver plan and above include Imports; this business is on the Free plan.",
    );
  });

  it("keeps another business's imports out of reach", async () => {
    const { agent: other } = await ownerSignedIn(t, "gold");
    const { agent } = await ownerSignedIn(t, "gold");
    const upload = await agent
      .post("/imports")
      .field("_csrf", await uploadToken(agent))
      .attach("file", sampleCsv);
    const show = upload.headers.location as string;
    expect((await other.get(show)).status).toBe(404);
    expect((await other.get(`${show}/errors.csv`)).status).toBe(404);
    expect((await request(t.app).get(show)).status).toBe(302);
  });
});
