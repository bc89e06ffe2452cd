import type { RecordFactory } from "../support/pageWalk";
import { buildBusiness, buildCustomer, buildMember, buildUser } from "../factories";
import type { Business, Customer, User } from "../../src/models";
import type { Services } from "../../src/services";

/** A record for each :param of the page routes the walk opens. */
export type WalkRecords = Record<string, RecordFactory>;

/** What every area's walk records hang off (phoneWidthRecords<Area>.ts). */
export interface WalkSeed {
  deps: Services;
  owner: User;
  business: Business;
  /** A sales member of the business (owner of half the customers). */
  mate: User;
  customers: Customer[];
}

/**
 * The signed-in walk's owner: a platform admin on the top plan with two businesses, a teammate
 * and four customers, all with long names on purpose (they are what widens a page).
 */
export async function seedWalkOwner(deps: Services): Promise<WalkSeed> {
  const { models } = deps;
  const owner = await buildUser(models, {
    name: "Kavitha Subramaniam-Raghunathan",
    email: `kavitha.subramaniam.raghunathan-${Date.now()}@example.test`,
    planCode: "enterprise",
    isPlatformAdmin: true,
  });
  const { business } = await buildBusiness(models, {
    owner,
    name: "Subramaniam Silks & Sarees Emporium (Chennai)",
  });
  await buildBusiness(models, { owner, name: "Raghunathan Textiles Wholesale" });
  const { user: mate } = await buildMember(models, business, "sales");
  const customers: Customer[] = [];
  for (let i = 0; i < 4; i++)
    customers.push(
      await buildCustomer(models, business, {
        name: `Venkataraghavan Krishnamoorthy ${i}`,
        email: `venkataraghavan.krishnamoorthy.${i}@longcompanyname.example.test`,
        tags: ["wholesale-buyers-chennai", "vip", "festival-season-2026"],
        ownerId: i % 2 ? mate.id : owner.id,
      }),
    );
  return { deps, owner, business, mate, customers };
}
