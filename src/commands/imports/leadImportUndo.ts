import type { Import } from "../../models";
import { businessScope } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import type { ImportDeps } from "./deps";
import { parseSettings } from "./fields";
import { isLeadImport } from "./leadImport";

const batch = 200;

/**
 * Undo of a lead import, one batch: deletes up to 200 leads the import created (leads.import_id)
 * that nobody worked on since it finished — no timeline entry after it (every edit writes one), no
 * note, no task — with their timeline. Leads worked on are kept and counted as kept. Leads the import updated
 * keep the file's values (it records no before-values for leads). Returns how many it deleted;
 * each batch is one transaction with the counts, guarded by the runner's lease.
 */
export async function deleteCreatedLeads(
  deps: ImportDeps,
  record: Import,
  owner: string,
): Promise<number> {
  // Customer imports have no leads, and their own steps keep the kept count: leave it alone.
  if (!isLeadImport(parseSettings(record.settings))) return 0;
  const finishedAt = record.finishedAt ?? deps.clock.now();
  return deps.sequelize.transaction(async (transaction) => {
    const sql = tenantSql(deps, businessScope(record.businessId), transaction);
    // Every change of a lead writes a timeline entry (with the app's clock), so entries after the
    // import finished are the sign of work; updated_at is Sequelize's own time and is not used.
    const workedOn = sql.fragment`(EXISTS (SELECT 1 FROM lead_events e
        WHERE ${sql.scoped("e")} AND e.lead_id = l.id AND e.created_at > ${finishedAt})
      OR EXISTS (SELECT 1 FROM lead_notes n WHERE ${sql.scoped("n")} AND n.lead_id = l.id)
      OR EXISTS (SELECT 1 FROM tasks t WHERE ${sql.scoped("t")} AND t.lead_id = l.id))`;
    const ids = (
      await sql.select<{ id: number }>`
        SELECT l.id FROM leads l WHERE ${sql.scoped("l")} AND l.import_id = ${record.id}
          AND NOT ${workedOn} ORDER BY l.id LIMIT ${batch}`
    ).map((row) => Number(row.id));
    const kept = await sql.select<{ n: number }>`
      SELECT COUNT(*) AS n FROM leads l WHERE ${sql.scoped("l")}
        AND l.import_id = ${record.id} AND ${workedOn}`;
    const keptCount = Number(kept[0]?.n ?? 0);
    if (ids.length) {
      await sql.run`DELETE FROM lead_events WHERE ${sql.scoped("lead_events")} AND lead_id IN ${ids}`;
      await sql.run`DELETE FROM leads WHERE ${sql.scoped("leads")} AND id IN ${ids}`;
    }
    // Still this runner's (read in the transaction; MySQL reports 0 changed rows for an UPDATE
    // that writes the same values, so the UPDATE's count cannot tell).
    const holder = await sql.select<{ n: number }>`
      SELECT COUNT(*) AS n FROM imports WHERE ${sql.scoped("imports")}
        AND id = ${record.id} AND lease_owner = ${owner}`;
    if (Number(holder[0]?.n ?? 0) !== 1)
      throw new Error("lease lost during the undo of a lead import");
    // The kept count is set, not added: every batch sees the same kept leads.
    await sql.run`UPDATE imports SET reverted_deleted_count = reverted_deleted_count + ${ids.length},
        reverted_kept_count = ${keptCount}, updated_at = ${deps.clock.now()}
      WHERE ${sql.scoped("imports")} AND id = ${record.id} AND lease_owner = ${owner}`;
    return ids.length;
  });
}
