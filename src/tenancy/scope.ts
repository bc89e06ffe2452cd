import { Op, type FindOptions, type Model, type ModelStatic, type WhereOptions } from "sequelize";
import { AppError } from "../errors";
import { restrictedToOwnRecords, type TenantContext } from "./context";

/**
 * The one way to reach tenant-owned rows. Every query on a table with business_id goes through
 * tenantWhere or findInBusiness, so a record of another business is simply not found (404).
 */
type TenantModel = ModelStatic<Model>;

/** Columns naming the member a record belongs to; roles limited to their own records see those. */
const ownership = new Map<TenantModel, string[]>();

export function registerOwnership(model: TenantModel, ownerAttributes: string[]): void {
  ownership.set(model, ownerAttributes);
}

export function tenantWhere(
  ctx: TenantContext,
  model: TenantModel,
  where: Record<string, unknown> = {},
): WhereOptions {
  const scoped: Record<string | symbol, unknown> = { ...where, businessId: ctx.business.id };
  const owners = ownership.get(model);
  if (owners && restrictedToOwnRecords(ctx)) {
    const own = { [Op.or]: owners.map((attribute) => ({ [attribute]: ctx.user.id })) };
    const given = (where as Record<symbol, unknown>)[Op.and];
    scoped[Op.and] = [...(Array.isArray(given) ? given : given ? [given] : []), own];
  }
  return scoped as WhereOptions;
}

/** Loads one record of the current business by id, or answers 404. */
export async function findInBusiness<M extends Model>(
  ctx: TenantContext,
  model: ModelStatic<M>,
  id: unknown,
  options: Omit<FindOptions, "where"> = {},
): Promise<M> {
  const numericId = Number(id);
  if (!Number.isSafeInteger(numericId) || numericId <= 0) throw AppError.notFound();
  const record = await model.findOne({
    ...options,
    where: tenantWhere(ctx, model, { id: numericId }),
  });
  if (!record) throw AppError.notFound();
  return record;
}
