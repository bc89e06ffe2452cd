import type { Transaction } from "sequelize";
import type { Deps } from "../../deps";
import type { Scoped } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";

/**
 * The dashboard remembers its two costliest counts between views (remembered.ts): customers of
 * the weeks before this one, and deals per stage. Each is keyed by a number on the business row
 * that every write changing what was counted raises, in its own transaction — so the next view
 * anywhere (any web process) counts again. Creating a customer does not raise it: a new customer
 * falls in the current week, which is always counted.
 */
export type CountedArea = "customers" | "deals";

const columnOf: Record<CountedArea, string> = {
  customers: "customers_version",
  deals: "deals_version",
};

/** Raises the area's version: call it inside the transaction of the write. */
export async function countsChanged(
  deps: Pick<Deps, "sequelize">,
  scoped: Scoped,
  area: CountedArea,
  transaction?: Transaction,
): Promise<void> {
  const sql = tenantSql(deps, scoped, transaction);
  const column = sql.raw(columnOf[area]);
  await sql.run`UPDATE businesses SET ${column} = ${column} + 1 WHERE ${sql.scoped("businesses")}`;
}

/** The business's versions now (a primary-key read). */
export async function countVersions(
  deps: Pick<Deps, "sequelize">,
  scoped: Scoped,
): Promise<Record<CountedArea, number>> {
  const sql = tenantSql(deps, scoped);
  const [row] = await sql.select<{ customers_version: unknown; deals_version: unknown }>`
    SELECT customers_version, deals_version FROM businesses WHERE ${sql.scoped("businesses")}`;
  return {
    customers: Number(row?.customers_version ?? 0),
    deals: Number(row?.deals_version ?? 0),
  };
}
