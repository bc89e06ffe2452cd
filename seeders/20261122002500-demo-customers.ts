import { copyFileSync, existsSync, mkdtempSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseSettings } from "../src/commands/imports/fields";
import { inspectImport } from "../src/commands/imports/inspect";
import { runImport } from "../src/commands/imports/run";
import { createImport, startImport } from "../src/commands/imports/start";
import { loadConfig, projectRoot } from "../src/config";
import type { SeedContext, Seeder } from "../src/db/migrator";
import { systemClock } from "../src/lib/clock";
import { createLogger } from "../src/logger";
import { loadTenantContext } from "../src/tenancy/loader";
import { businessScope, tenantWhere } from "../src/tenancy/scope";
import { tenantSql } from "../src/tenancy/sql";
import type { Business, User } from "../src/models";
import { demoEmail } from "./20261122000100-demo-account";
import { demoBusinessName } from "./20261122001500-demo-business";
import { countsChanged } from "../src/commands/dashboard/versions";

/**
 * Demo Traders' customers: the sample workbook imported through the import itself (upload,
 * inspection, suggested mapping, run), so the demo shows an import in the history and
 * "imported from" on each timeline; then a few notes and tasks. Skipped once done.
 */
export const sampleFile = "sample_customers_100.xlsx";

const notes = [
  "Prefers WhatsApp over calls. Asked about the Diwali offer.",
  "Visited the shop on Saturday; interested in the premium range.",
  "Pays by UPI. Wants an invoice with GST number next time.",
];
const tasks = [
  { title: "Call back about the bulk order", priority: "high", days: 1 },
  { title: "Send the new catalogue on WhatsApp", priority: "medium", days: 3 },
  { title: "Wish a happy anniversary", priority: "low", days: 7 },
] as const;

export const up: Seeder = async ({ context }) => {
  const { models } = context;
  const owner = await models.User.findOne({ where: { email: demoEmail } });
  const business = owner
    ? await models.Business.findOne({ where: { ownerId: owner.id, name: demoBusinessName } })
    : null;
  if (owner && business) await importDemoCustomers(context, owner, business);
};

/** The import, notes and tasks; nothing when the business already has customers. */
export async function importDemoCustomers(
  context: SeedContext,
  owner: User,
  business: Business,
): Promise<void> {
  const { models, sequelize } = context;
  const source = path.join(projectRoot, "seeders", "data", sampleFile);
  // An image built without the sample data simply has no demo customers.
  if (!existsSync(source)) return;
  const scope = businessScope(business.id);
  if ((await models.Customer.count({ where: tenantWhere(scope, models.Customer) })) > 0) return;

  const deps = {
    config: loadConfig(),
    sequelize,
    models,
    clock: systemClock,
    logger: createLogger("warn"),
  };
  const ctx = await loadTenantContext(deps, { businessId: business.id, userId: owner.id });
  if (!ctx) return;
  const upload = path.join(mkdtempSync(path.join(os.tmpdir(), "crm-demo-")), sampleFile);
  copyFileSync(source, upload);
  const created = await createImport(deps, business.id, owner.id, {
    path: upload,
    originalName: sampleFile,
    size: statSync(upload).size,
  });
  const ready = await inspectImport(deps, ctx, created.id);
  if (!ready || ready.status !== "ready") return;
  const settings = parseSettings(ready.settings);
  await startImport(deps, ctx, ready, {
    mapping: settings.mapping,
    mode: "skip",
    update: settings.update,
  });
  await runImport(deps, ctx, ready.id);

  const customers = await models.Customer.findAll({
    where: tenantWhere(ctx, models.Customer),
    order: [["id", "ASC"]],
    limit: 3,
  });
  const now = deps.clock.nowMs();
  for (const [i, customer] of customers.entries()) {
    await models.Note.create({
      businessId: business.id,
      customerId: customer.id,
      authorId: owner.id,
      body: notes[i] as string,
    });
    const task = tasks[i];
    if (!task) continue;
    await models.Task.create({
      businessId: business.id,
      customerId: customer.id,
      assigneeId: owner.id,
      createdById: owner.id,
      title: task.title,
      description: null,
      priority: task.priority,
      status: "open",
      dueAt: new Date(now + task.days * 86_400_000),
      remindedFor: null,
    });
  }
}

export const down: Seeder = async ({ context }) => {
  const { models } = context;
  const owner = await models.User.findOne({ where: { email: demoEmail } });
  if (!owner) return;
  const business = await models.Business.findOne({
    where: { ownerId: owner.id, name: demoBusinessName },
  });
  if (!business) return;
  const scope = businessScope(business.id);
  const imports = await models.Import.findAll({
    where: tenantWhere(scope, models.Import, { fileName: sampleFile }),
    attributes: ["id"],
  });
  const ids = imports.map((record) => record.id);
  if (ids.length === 0) return;
  await context.sequelize.transaction(async (transaction) => {
    const sql = tenantSql(context, scope, transaction);
    await sql.changed`
      DELETE FROM customers WHERE ${sql.scoped("customers")} AND import_id IN ${ids}`;
    await sql.changed`
      UPDATE businesses SET customer_count = (SELECT COUNT(*) FROM customers
        WHERE ${sql.scoped("customers")}) WHERE ${sql.scoped("businesses")}`;
    await countsChanged(context, scope, "customers", transaction);
    await models.Import.destroy({
      where: tenantWhere(scope, models.Import, { id: ids }),
      transaction,
    });
  });
};
