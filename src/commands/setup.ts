import type { Transaction } from "sequelize";
import type { Deps } from "../deps";
import type { BusinessRecord } from "../tenancy/records";
import { acrossBusinesses, type Scoped } from "../tenancy/scope";
import { tenantSql } from "../tenancy/sql";

/**
 * A business's setup lists — its lead stages and its members (the owner and assignee choices) —
 * are on every leads and deals page. Each process remembers them per business, keyed by
 * `businesses.setup_version`, which the session read brings with the business row (no statement
 * of its own) and which every write changing them raises in its own transaction: stages added,
 * renamed, moved or removed; members added, removed or given another role; a member's name.
 * A process that missed nothing reads them once per change. An entry read while a change
 * committed may hold the newer lists under the older number: never older lists than its number.
 */
const remembered = new Map<string, { version: number; value: Promise<unknown> }>();
const maxRemembered = 5_000;

/** `load()` once per business, list and setup version in this process. */
export function rememberedSetup<T>(
  business: Pick<BusinessRecord, "id" | "setupVersion">,
  list: string,
  load: () => Promise<T>,
): Promise<T> {
  const key = `${business.id}:${list}`;
  const entry = remembered.get(key);
  if (entry && entry.version === business.setupVersion) return entry.value as Promise<T>;
  if (remembered.size >= maxRemembered) remembered.clear();
  const value = load();
  remembered.set(key, { version: business.setupVersion, value });
  // A failed read is not remembered: the next page reads again.
  value.catch(() => {
    if (remembered.get(key)?.value === value) remembered.delete(key);
  });
  return value;
}

/** Raises the business's setup version: call it inside the transaction of the write. */
export async function setupChanged(
  deps: Pick<Deps, "sequelize">,
  scoped: Scoped,
  transaction?: Transaction,
): Promise<void> {
  const sql = tenantSql(deps, scoped, transaction);
  await sql.run`UPDATE businesses SET setup_version = setup_version + 1
    WHERE ${sql.scoped("businesses")}`;
}

/** A member's name shows in the choices of every business they belong to. */
export async function memberRenamed(
  deps: Pick<Deps, "models">,
  userId: number,
  transaction?: Transaction,
): Promise<void> {
  const { Business, Membership } = deps.models;
  const memberships = await Membership.findAll({
    where: acrossBusinesses("a member's name is in each of their businesses' choices", { userId }),
    attributes: ["businessId"],
    transaction,
  });
  if (memberships.length === 0) return;
  await Business.increment("setupVersion", {
    by: 1,
    where: acrossBusinesses("a member's name is in each of their businesses' choices", {
      id: memberships.map((m) => m.businessId),
    }),
    transaction,
  });
}
