import { rmSync } from "node:fs";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, type Agent } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import { tempDir } from "../../../test/support/imports";

/** Importing leads through the import pages: the target choice, the lead mapping, the run. */
describe("lead import pages", () => {
  let t: TestApp;
  let uploads: string;

  beforeAll(async () => {
    uploads = tempDir("crm-lead-import-pages-");
    t = await buildTestApp({ UPLOADS_DIR: uploads });
  });
  afterAll(async () => {
    await t.close();
    rmSync(uploads, { recursive: true, force: true });
  });

  async function until(agent: Agent, url: string, done: (text: string) => boolean) {
    for (let i = 0; i < 400; i++) {
      const res = await agent.get(url);
      if (done(res.text)) return res;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`${url} never reached the expected state`);
  }

  it("uploads a file of leads, maps lead fields (first name required) and imports them", async () => {
    const { agent, business } = await ownerSignedIn(t, "enterprise");
    const page = await agent.get("/imports/new").expect(200);
    expect(page.text).toContain('name="target" id="target-leads" value="leads"');
    const file =
      "Lead name,Company,Mobile\nAarav,TechVerse,9876543120\nPriya,FinEdge,+919822077551\n";
    const upload = await agent
      .post("/imports")
      .field("_csrf", csrfFrom(page))
      .field("target", "leads")
      .attach("file", Buffer.from(file), "leads.csv");
    expect(upload.status).toBe(303);
    const show = upload.headers.location as string;

    const mapping = await until(agent, show, (text) => text.includes("Start import"));
    expect(mapping.text).toContain("Leads already in the CRM");
    expect(mapping.text).toMatch(
      /id="field-map_firstName"[^>]*>[\s\S]*?<option value="0" selected>Lead name</,
    );
    expect(mapping.text).toMatch(
      /id="field-map_phone"[^>]*>[\s\S]*?<option value="2" selected>Mobile</,
    );
    const csrf = csrfFrom(mapping);

    const refused = await agent
      .post(`${show}/start`)
      .type("form")
      .send({ _csrf: csrf, map_firstName: "", map_company: "1", mode: "skip" });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain("Choose the column that holds the leads&#x27; first names.");

    const started = await agent
      .post(`${show}/start`)
      .type("form")
      .send({ _csrf: csrf, map_firstName: "0", map_company: "1", map_phone: "2", mode: "skip" });
    expect(started.status).toBe(303);
    await until(agent, show, (text) => text.includes("Undo import…"));
    const leads = await t.deps.models.Lead.findAll({
      where: { businessId: business.id },
      order: [["id", "ASC"]],
    });
    expect(leads.map((l) => [l.firstName, l.company, l.phoneE164])).toEqual([
      ["Aarav", "TechVerse", "+919876543120"],
      ["Priya", "FinEdge", "+919822077551"],
    ]);
    expect(await t.deps.models.Customer.count({ where: { businessId: business.id } })).toBe(0);
  });
});
