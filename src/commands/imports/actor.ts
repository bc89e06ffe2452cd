import type { Business, Import, Plan } from "../../models";
import { seesOnlyOwnRecords } from "../../policies/permissions";
import type { ImportDeps } from "./deps";
import { ImportFileError } from "./readers";

/** Who a background run acts for: the business, its plan, and the member who started it. */
export interface ImportActor {
  business: Business;
  plan: Plan;
  userId: number;
  /** Set for members who see only their own records: they update only customers they own. */
  onlyOwnedBy: number | null;
}

export async function importActor(deps: ImportDeps, record: Import): Promise<ImportActor> {
  const { models } = deps;
  const business = await models.Business.findByPk(record.businessId);
  const membership =
    record.userId === null
      ? null
      : await models.Membership.findOne({
          where: { businessId: record.businessId, userId: record.userId },
        });
  if (!business || !membership || record.userId === null) {
    throw new ImportFileError(
      "The person who started this import is no longer a member of the business.",
    );
  }
  const owner = await models.User.findByPk(business.ownerId, { attributes: ["planCode"] });
  const plan = await models.Plan.findOne({ where: { code: owner?.planCode ?? "free" } });
  if (!plan) throw new Error(`No plan "${owner?.planCode}"`);
  return {
    business,
    plan,
    userId: record.userId,
    onlyOwnedBy: seesOnlyOwnRecords(membership.role) ? record.userId : null,
  };
}
