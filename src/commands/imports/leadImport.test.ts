import { writeFileSync } from "node:fs";
import path from "node:path";
import { buildBusiness, buildMember, buildUser } from "../../../test/factories";
import { useTestDatabase } from "../../../test/support/database";
import { contextFor } from "../../../test/support/deps";
import { countsOf, tempDir, testImportDeps, uploadFile } from "../../../test/support/imports";
import type { Deps } from "../../deps";
import { FakeClock } from "../../lib/clock";
import type { Business, Import, User } from "../../models";
import { saveAssignmentSettings } from "../leads/roundRobinSettings";
import { updateLead } from "../leads/writes";
import { inspectImport } from "./inspect";
import { leadMappingOf, startLeadImport } from "./leadImport";
import { requestRevert, runRevert } from "./revert";
import { runImport } from "./run";

const db = useTestDatabase();

/** The shared sample of 100 customers (name, phoneE164, email…), read as a list of leads. */
const sample = path.join(__dirname, "../../../seeders/data/sample_customers_100.csv");

describe("importing leads through the importer", () => {
  const clock = new FakeClock("2026-12-02T06:00:00Z");
  let deps: Deps;
  let business: Business;
  let owner: User;
  let members: User[];

  beforeAll(async () => {
    deps = { ...(testImportDeps(db.current) as Deps), clock };
    owner = await buildUser(deps.models, { planCode: "enterprise" });
    ({ business } = await buildBusiness(deps.models, { owner, name: "Lead Importers" }));
    members = [];
    for (const name of ["Ravi", "Meena"]) {
      const user = await buildUser(deps.models, { name });
      await buildMember(deps.models, business, "sales", user);
      members.push(user);
    }
  });

  async function importLeads(
    file: string,
    mode: "skip" | "update" = "skip",
    fillOnly = false,
  ): Promise<Import> {
    const ctx = await contextFor(db.current, business, owner);
    const uploaded = await uploadFile(deps, business, owner, file, { target: "leads" });
    const ready = await inspectImport(deps, ctx, uploaded.id);
    expect(ready?.status).toBe("ready");
    const started = await startLeadImport(deps, ctx, ready!, {
      mapping: leadMappingOf(ready!),
      mode,
      fillOnly,
    });
    expect(await runImport(deps, ctx, started.id)).toEqual({ kind: "done" });
    return started.reload();
  }

  it("refuses a mapping without first names, with the field's error", async () => {
    const file = path.join(tempDir(), "nameless.csv");
    writeFileSync(file, "Company,Phone\nAcme,9876543210\n");
    const ctx = await contextFor(db.current, business, owner);
    const uploaded = await uploadFile(deps, business, owner, file, { target: "leads" });
    const ready = await inspectImport(deps, ctx, uploaded.id);
    await expect(
      startLeadImport(deps, ctx, ready!, {
        mapping: leadMappingOf(ready!),
        mode: "skip",
        fillOnly: false,
      }),
    ).rejects.toMatchObject({
      id: "validation_failed",
      details: {
        fields: { map_firstName: "Choose the column that holds the leads' first names." },
      },
    });
    expect((await ready!.reload()).status).toBe("ready");
  });

  it("imports the sample's 100 people as leads: round-robin owners, scores by the rules, bad rows reported", async () => {
    await saveAssignmentSettings(deps, await contextFor(db.current, business, owner), {
      enabled: true,
      chosen: members.map((m) => m.id),
      available: members.map((m) => m.id),
    });
    await deps.models.LeadScoringRule.create({
      businessId: business.id,
      subject: "field",
      field: "email",
      operator: "contains",
      value: "@finedge.co",
      points: 60,
      position: 0,
    });
    const done = await importLeads(sample);
    expect(await countsOf(deps.models, done.id)).toMatchObject({
      status: "completed",
      created: 100,
      skipped: 0,
      failed: 0,
    });
    const leads = await deps.models.Lead.findAll({ where: { businessId: business.id } });
    expect(leads).toHaveLength(100);
    const per = (id: number) => leads.filter((l) => l.ownerId === id).length;
    expect([per(members[0]!.id), per(members[1]!.id)]).toEqual([50, 50]);
    const finedge = leads.filter((l) => l.email?.endsWith("@finedge.co"));
    expect(finedge.length).toBeGreaterThan(0);
    expect(finedge.every((l) => l.score === 60)).toBe(true);
    expect(leads.filter((l) => !l.email?.endsWith("@finedge.co")).every((l) => l.score === 0)).toBe(
      true,
    );
    expect(leads.every((l) => l.importId === done.id)).toBe(true);
    // 100 leads one by one (each its own transaction): longer than the default on a busy machine.
  }, 180_000);

  it("skips known phones and e-mails, or updates them (fill only keeps what is there)", async () => {
    const skipped = await importLeads(sample);
    expect(await countsOf(deps.models, skipped.id)).toMatchObject({ created: 0, skipped: 100 });

    const file = path.join(tempDir(), "update.csv");
    writeFileSync(
      file,
      "First name,Email,Company,Job title\nSuresh,suresh.shah32@finedge.co,FinEdge Ltd,CFO\nNew,new.person@example.test,,\nBad,not-an-email,,\n",
    );
    const lead = await deps.models.Lead.findOne({
      where: { businessId: business.id, email: "suresh.shah32@finedge.co" },
    });
    await lead!.update({ company: "Kept Co" });
    const updated = await importLeads(file, "update", true);
    expect(await countsOf(deps.models, updated.id)).toMatchObject({
      created: 1,
      updated: 1,
      failed: 1,
    });
    await lead!.reload();
    expect(lead).toMatchObject({ company: "Kept Co", jobTitle: "CFO" });
    const errors = await deps.models.ImportRowError.findAll({ where: { importId: updated.id } });
    expect(errors.map((e) => [e.sourceRow, JSON.parse(e.messages)])).toEqual([
      [4, ["Enter a valid e-mail address."]],
    ]);
  }, 120_000);

  it("undoes a lead import: deletes its leads, keeps one worked on since", async () => {
    const file = path.join(tempDir(), "undo.csv");
    writeFileSync(
      file,
      "Name,Phone\nUndo One,9123400001\nUndo Two,9123400002\nUndo Three,9123400003\n",
    );
    const done = await importLeads(file);
    const ctx = await contextFor(db.current, business, owner);
    const worked = await deps.models.Lead.findOne({
      where: { businessId: business.id, importId: done.id, firstName: "Undo Two" },
    });
    // Worked on after the import finished: an edit, an hour later.
    await clock.advance(3_600_000);
    await updateLead(deps, ctx, worked!, { nextAction: "Call back" });
    await requestRevert(deps, await done.reload(), owner.id);
    expect(await runRevert(deps, ctx, done.id)).toEqual({ kind: "done" });
    const left = await deps.models.Lead.findAll({
      where: { businessId: business.id, importId: done.id },
    });
    expect(left.map((l) => l.firstName)).toEqual(["Undo Two"]);
    expect(await done.reload()).toMatchObject({
      status: "reverted",
      revertedDeletedCount: 2,
      revertedKeptCount: 1,
    });
  });
});
