import { Op } from "sequelize";
import type { Deps } from "../deps";
import { AppError } from "../errors";
import type { LimitName } from "../models";
import type { TenantContext } from "../tenancy/context";
import { businessScope, tenantWhere } from "../tenancy/scope";
import type { FeatureName } from "./features";
import { limitLabel, limitOf, plansLink } from "./limitText";
import type { PlanRecord } from "./plans";

/**
 * What an account holds beyond its plan after a downgrade or an expiry stays — never deleted — but
 * read-only, limit by limit (docs/decisions.md "Billing"):
 * - customers and forms: while the business holds more than the plan allows, none of them can be
 *   changed (which ones to keep is the owner's choice: they remove some, or upgrade);
 * - businesses: the account's oldest businesses up to the limit keep working; in the later ones
 *   every feature is read-only;
 * - team seats: the owner and the earliest members up to the limit keep working; later members
 *   can read but not change anything.
 * Reads, deletions and other reducing actions always pass, so the owner can get back under.
 */

/** Features whose own records count against a limit (the whole set is read-only while over). */
const recordLimits: Partial<Record<FeatureName, LimitName>> = {
  customers: "customers",
  imports: "customers",
  forms: "forms",
};

/** Writes that reduce what is held (delete, merge, bulk delete, undoing an import) stay allowed. */
const reducing = /\/(delete|merge|bulk|revert|discard|archive|unpublish)$/;

export interface WriteRequest {
  method: string;
  path: string;
}

/** Whether the request could change records (reads and removals never need the check). */
export function isChangingWrite(request: WriteRequest): boolean {
  if (["GET", "HEAD", "OPTIONS", "DELETE"].includes(request.method)) return false;
  return !reducing.test(request.path);
}

/** Where the business and the member stand against the plan's limits. */
export interface Standing {
  /** 0-based position of the business among its owner's, oldest first. */
  businessRank: number;
  /** 0-based position of the member's seat: the owner first, then by joining. */
  seatRank: number;
  /** Records held of a limited feature, when the request is about one. */
  held: Partial<Record<LimitName, number>>;
}

function overMessage(plan: PlanRecord, name: LimitName, used: number, extra: string): string {
  const limit = limitOf(plan, name);
  return (
    `This ${name === "businesses" ? "account" : "business"} holds ${used.toLocaleString("en-IN")} ${limitLabel(name, 2)}; ` +
    `the ${plan.name} plan allows ${limit.toLocaleString("en-IN")}. ${extra}` +
    "Nothing was deleted: they stay readable, but cannot be changed until you upgrade or remove some."
  );
}

function lockError(plan: PlanRecord, name: LimitName, used: number, extra: string): AppError {
  const upgradeTo = plan.upgrades.limits[name];
  return new AppError("plan_limit", overMessage(plan, name, used, extra), {
    limit: name,
    allowed: limitOf(plan, name),
    used,
    plan: plan.code,
    readOnly: true,
    ...(upgradeTo ? { upgradeTo } : {}),
    plansUrl: plansLink(`limit-${name}`, upgradeTo?.code),
  });
}

/** The 402 (plan_limit, readOnly) for a changing write beyond a limit; null when allowed. */
export function readOnlyLockFor(
  plan: PlanRecord | null,
  feature: FeatureName,
  request: WriteRequest,
  standing: Standing,
): AppError | null {
  if (!plan || !isChangingWrite(request)) return null;
  const businesses = limitOf(plan, "businesses");
  if (businesses >= 0 && standing.businessRank >= businesses)
    return lockError(
      plan,
      "businesses",
      standing.businessRank + 1,
      `Only the first ${businesses === 1 ? "business" : `${businesses} businesses`} created can be changed; this one is beyond. `,
    );
  const seats = limitOf(plan, "teamSeats");
  if (seats >= 0 && standing.seatRank >= seats)
    return lockError(
      plan,
      "teamSeats",
      standing.seatRank + 1,
      `Your seat is beyond the first ${seats}: you can read, and the owner can upgrade or remove members. `,
    );
  const name = recordLimits[feature];
  const used = name ? standing.held[name] : undefined;
  if (!name || used === undefined) return null;
  const limit = limitOf(plan, name);
  return limit >= 0 && used > limit ? lockError(plan, name, used, "") : null;
}

/**
 * Records that keep working one by one, oldest first (social accounts): those within the plan's
 * limit work, the later ones stay — connected, readable — but cannot be used for anything new.
 * `rank` is the record's 0-based position among those held, `held` how many there are, `name`
 * how the person knows this one. Null when the record is within the limit.
 */
export function beyondLimitLock(
  plan: PlanRecord | null,
  limit: "socialAccounts",
  rank: number,
  held: number,
  name: string,
): AppError | null {
  if (!plan) return null;
  const allowed = limitOf(plan, limit);
  if (allowed < 0 || rank < allowed) return null;
  const first = allowed === 1 ? "the first one" : `the first ${allowed}`;
  return lockError(
    plan,
    limit,
    held,
    `Only ${first} connected can publish; ${name} is beyond, so nothing new can be posted or scheduled through it. `,
  );
}

/**
 * Reads the standing the lock needs: only for a changing write on a plan with a finite limit,
 * each one an indexed count (memberships and businesses of one owner are few).
 */
export async function standingOf(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  feature: FeatureName,
): Promise<Standing> {
  const { models } = deps;
  const { plan, business, membership } = ctx;
  const finite = (name: LimitName) => limitOf(plan, name) >= 0;
  const businessRank = finite("businesses")
    ? await models.Business.count({
        where: { ownerId: business.ownerId, id: { [Op.lt]: business.id } },
      })
    : 0;
  const seatRank =
    !finite("teamSeats") || membership.role === "owner"
      ? 0
      : // The owner's seat comes first, whenever it was created.
        1 +
        (await models.Membership.count({
          where: tenantWhere(businessScope(business.id), models.Membership, {
            id: { [Op.lt]: membership.id },
            role: { [Op.ne]: "owner" },
          }),
        }));
  const held: Partial<Record<LimitName, number>> = {};
  const name = recordLimits[feature];
  if (name === "customers") held.customers = business.customerCount;
  if (name === "forms" && finite("forms"))
    held.forms = await models.Form.count({
      where: tenantWhere(businessScope(business.id), models.Form),
    });
  return { businessRank, seatRank, held };
}

/** One limit the account is over, said for a banner: what is read-only and the way out. */
export interface OverLimit {
  limit: LimitName;
  message: string;
  href: string;
}

/**
 * Every limit the current business or member is beyond (for the dashboard's banner): the same
 * standing the gate reads, without the request.
 */
export async function overLimits(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
): Promise<OverLimit[]> {
  const { plan } = ctx;
  const standing = await standingOf(deps, ctx, "customers");
  const forms = limitOf(plan, "forms") >= 0 ? await standingOf(deps, ctx, "forms") : null;
  const held = { ...standing.held, ...forms?.held };
  const probe = { method: "POST", path: "/" };
  const found: OverLimit[] = [];
  const add = (name: LimitName, error: AppError | null) => {
    if (!error) return;
    found.push({ limit: name, message: error.message, href: String(error.details?.plansUrl) });
  };
  const none = { businessRank: 0, seatRank: 0, held: {} };
  add(
    "businesses",
    readOnlyLockFor(plan, "tasks", probe, { ...none, businessRank: standing.businessRank }),
  );
  add("teamSeats", readOnlyLockFor(plan, "tasks", probe, { ...none, seatRank: standing.seatRank }));
  add("customers", readOnlyLockFor(plan, "customers", probe, { ...none, held }));
  add("forms", readOnlyLockFor(plan, "forms", probe, { ...none, held }));
  return found;
}
