import { Op, type FindOptions, type Model, type ModelStatic, type WhereOptions } from "sequelize";
import { AppError } from "../errors";
import { seesOnlyOwnRecords } from "../policies/permissions";
import type { TenantContext } from "./context";
import { ownerAttributes, tenantTables } from "./tables";

/**
 * The one way to reach tenant-owned rows. Model queries take their WHERE from tenantWhere (or
 * load by id with findInBusiness); raw SQL is built with tenantSql (tenancy/sql.ts), which uses
 * the same scope. A record of another business is simply not found (404), and members limited to
 * their own records (sales) see only those unless a call asks for the whole business.
 */
export interface TenantScope {
  /** The business every row must belong to. */
  businessId: number;
  /** For members who see only their own records: whose they are. Null sees the whole business. */
  ownRecordsOf: number | null;
}

/** A member's context (a request or a job acting for someone) or an explicit scope. */
export type Scoped = TenantContext | TenantScope;

export interface ScopeOptions {
  /**
   * See every record of the business even when the member sees only their own: for checks that
   * are business-wide by nature (a phone number is unique per business, not per member).
   */
  wholeBusiness?: boolean;
}

function isContext(scoped: Scoped): scoped is TenantContext {
  return "business" in scoped;
}

/** The scope of a context: its business, and its member when their role sees only their own. */
export function scopeOf(scoped: Scoped, options: ScopeOptions = {}): TenantScope {
  const scope = isContext(scoped)
    ? {
        businessId: scoped.business.id,
        ownRecordsOf: seesOnlyOwnRecords(scoped.membership.role) ? scoped.user.id : null,
      }
    : scoped;
  if (!Number.isSafeInteger(scope.businessId) || scope.businessId <= 0)
    throw new Error(`tenant scope: invalid business id ${String(scope.businessId)}`);
  return options.wholeBusiness && scope.ownRecordsOf !== null
    ? { ...scope, ownRecordsOf: null }
    : scope;
}

/**
 * All of one business: for the business's own scheduled work (reminders, which have no member)
 * and for steps inside a command that already loaded its records through a member's scope (the
 * importer's batches, an undo) and now works on that business's rows as a whole.
 */
export function businessScope(businessId: number): TenantScope {
  return scopeOf({ businessId, ownRecordsOf: null });
}

function tableOf(model: ModelStatic<Model>): string {
  const table = model.getTableName();
  return typeof table === "string" ? table : table.tableName;
}

/** The WHERE of a query on a tenant model: the given conditions, in this business, for this member. */
export function tenantWhere(
  scoped: Scoped,
  model: ModelStatic<Model>,
  where: Record<string | symbol, unknown> = {},
  options: ScopeOptions = {},
): WhereOptions {
  const table = tableOf(model);
  if (!(table in tenantTables))
    throw new Error(`tenantWhere: ${table} has no business_id (not a tenant table)`);
  const scope = scopeOf(scoped, options);
  const result: Record<string | symbol, unknown> = { ...where, businessId: scope.businessId };
  const owners = ownerAttributes[model.name];
  if (owners && scope.ownRecordsOf !== null) {
    const own = { [Op.or]: owners.map((attribute) => ({ [attribute]: scope.ownRecordsOf })) };
    const given = where[Op.and];
    result[Op.and] = [...(Array.isArray(given) ? given : given ? [given] : []), own];
  }
  return result as WhereOptions;
}

/** The business row of the scope itself (counters, settings): `{ id }` of its business. */
export function ownBusiness(scoped: Scoped): { id: number } {
  return { id: scopeOf(scoped).businessId };
}

/**
 * A query that deliberately reads or writes across every business: platform work only (purging
 * expired rows, the reminder scan over all businesses, the admin's tenant report). Returns `where`
 * unchanged; the call and its reason are the mark a reader (and grep) looks for.
 */
export function acrossBusinesses<W extends WhereOptions>(_reason: string, where: W): W {
  return where;
}

/** Loads one record of the current business by id, or answers 404. */
export async function findInBusiness<M extends Model>(
  scoped: Scoped,
  model: ModelStatic<M>,
  id: unknown,
  options: Omit<FindOptions, "where"> & ScopeOptions = {},
): Promise<M> {
  const numericId = Number(id);
  if (!Number.isSafeInteger(numericId) || numericId <= 0) throw AppError.notFound();
  const { wholeBusiness, ...find } = options;
  const record = await model.findOne({
    ...find,
    where: tenantWhere(scoped, model, { id: numericId }, { wholeBusiness }),
  });
  if (!record) throw AppError.notFound();
  return record;
}
