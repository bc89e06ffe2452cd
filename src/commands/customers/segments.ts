import { UniqueConstraintError } from "sequelize";
import { AppError } from "../../errors";
import type { Segment } from "../../models";
import { mayChangeSegment } from "../../policies/customers";
import { authorize, type TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import type { Deps } from "../../deps";
import { customerFilterSchema, isEmptyFilter, type CustomerFilter } from "./filter";

/** A segment's stored filter, read back through the same schema (old or edited rows stay safe). */
export function segmentFilter(segment: Segment): CustomerFilter {
  try {
    const parsed = customerFilterSchema.safeParse(JSON.parse(segment.filters));
    return parsed.success ? parsed.data : {};
  } catch {
    return {};
  }
}

function checkName(name: string): string {
  const clean = name.trim();
  if (!clean || clean.length > 120)
    throw AppError.validation({ name: "Name the segment (at most 120 characters)." });
  return clean;
}

async function saving<T>(name: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UniqueConstraintError)
      throw new AppError("conflict", `A segment named "${name}" already exists.`, {
        field: "name",
      });
    throw error;
  }
}

/** Whoever may save a segment changes their own; others' only owners, admins and managers. */
function assertMayChange(ctx: TenantContext, segment: Segment): void {
  authorize(ctx, "customers.view");
  if (!mayChangeSegment(ctx, segment))
    throw AppError.forbidden(
      "Only the member who saved this segment, or an owner, admin or manager, can change it.",
    );
}

export async function saveSegment(
  deps: Deps,
  ctx: TenantContext,
  input: { name: string; filter: CustomerFilter },
): Promise<Segment> {
  authorize(ctx, "customers.view");
  const name = checkName(input.name);
  if (isEmptyFilter(input.filter))
    throw AppError.validation({ filter: "Set at least one filter before saving a segment." });
  return saving(name, () =>
    deps.models.Segment.create({
      businessId: ctx.business.id,
      name,
      filters: JSON.stringify(input.filter),
      createdById: ctx.user.id,
    }),
  );
}

export async function updateSegment(
  deps: Deps,
  ctx: TenantContext,
  segment: Segment,
  input: { name?: string; filter?: CustomerFilter },
): Promise<Segment> {
  assertMayChange(ctx, segment);
  const name = input.name === undefined ? segment.name : checkName(input.name);
  const filters = input.filter ? JSON.stringify(input.filter) : segment.filters;
  return saving(name, () => segment.update({ name, filters }));
}

export async function deleteSegment(deps: Deps, ctx: TenantContext, segment: Segment) {
  assertMayChange(ctx, segment);
  await segment.destroy();
}

export async function segmentsOf(deps: Deps, ctx: TenantContext): Promise<Segment[]> {
  authorize(ctx, "customers.view");
  return deps.models.Segment.findAll({
    where: tenantWhere(ctx, deps.models.Segment),
    order: [["name", "ASC"]],
  });
}
