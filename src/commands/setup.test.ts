import { buildBusiness, buildUser } from "../../test/factories";
import { useTestDatabase } from "../../test/support/database";
import { contextFor, testDeps } from "../../test/support/deps";
import type { Deps } from "../deps";
import type { Business, User } from "../models";
import { can } from "../policies/permissions";
import type { TenantContext } from "../tenancy/context";
import {
  addLeadStage,
  businessLeadStages,
  contextLeadStages,
  moveLeadStage,
  removeLeadStage,
  renameLeadStage,
} from "./leads/stages";
import { membersWhoMay } from "./members";
import { updateName } from "./profileUpdater";
import { setupChanged } from "./setup";
import { changeRole, removeMember } from "./team";

/**
 * Leads and deals pages remember the business's lead stages and member choices per setup version
 * (setup.ts): every write that changes them must make the next page read them again. Each step
 * reads through a fresh context (as the next page would) and compares with a read from scratch.
 */
const db = useTestDatabase();

describe("the business's remembered setup lists", () => {
  let deps: Deps;
  let business: Business;
  let owner: User;

  beforeAll(async () => {
    deps = testDeps(db.current);
    owner = await buildUser(db.current.models, { name: "Owner Olive", planCode: "enterprise" });
    ({ business } = await buildBusiness(db.current.models, { owner }));
  });

  /** The next page's context: the business row (and its setup version) read again. */
  const page = (): Promise<TenantContext> => contextFor(db.current, business, owner);

  async function ownerChoices(): Promise<string[]> {
    return (await membersWhoMay(deps, await page(), "leads.manage")).map((m) => m.name);
  }

  async function freshOwnerChoices(): Promise<string[]> {
    const members = await db.current.models.Membership.findAll({
      where: { businessId: business.id },
      include: [{ model: db.current.models.User, as: "user" }],
    });
    return members
      .filter((m) => can(m.role, "leads.manage"))
      .map((m) => m.user?.name ?? "")
      .sort((a, b) => a.localeCompare(b));
  }

  async function stageNames(): Promise<string[]> {
    return (await contextLeadStages(deps, await page())).map((s) => s.name);
  }

  async function freshStageNames(): Promise<string[]> {
    return (await businessLeadStages(deps, business.id)).map((s) => s.name);
  }

  it("keeps the member choices until a write raises the version, then reads them again", async () => {
    expect(await ownerChoices()).toEqual(["Owner Olive"]);
    // Written behind the commands' back: the remembered list stays (no statement per page).
    const seller = await buildUser(db.current.models, { name: "Seller Sita" });
    const membership = await db.current.models.Membership.create({
      businessId: business.id,
      userId: seller.id,
      role: "sales",
    });
    expect(await ownerChoices()).toEqual(["Owner Olive"]);
    await setupChanged(deps, await page());
    expect(await ownerChoices()).toEqual(["Owner Olive", "Seller Sita"]);
    expect(await ownerChoices()).toEqual(await freshOwnerChoices());

    await changeRole(deps, await page(), membership, "support");
    expect(await ownerChoices()).toEqual(["Owner Olive"]);
    expect(await ownerChoices()).toEqual(await freshOwnerChoices());

    await changeRole(deps, await page(), membership, "manager");
    expect(await ownerChoices()).toEqual(await freshOwnerChoices());
    await updateName(db.current.models, null, seller, "Seller Sunita");
    expect(await ownerChoices()).toEqual(["Owner Olive", "Seller Sunita"]);

    await removeMember(deps, await page(), membership);
    expect(await ownerChoices()).toEqual(["Owner Olive"]);
    expect(await ownerChoices()).toEqual(await freshOwnerChoices());
  });

  it("reads the lead stages again after each stage write", async () => {
    const ctx = await page();
    expect(await stageNames()).toEqual(await freshStageNames());
    const added = await addLeadStage(deps, ctx, "Demo booked");
    expect(await stageNames()).toEqual(await freshStageNames());
    expect(await stageNames()).toContain("Demo booked");
    await renameLeadStage(deps, await page(), added.code, "Demo held");
    expect(await stageNames()).toContain("Demo held");
    expect(await stageNames()).toEqual(await freshStageNames());
    await moveLeadStage(deps, await page(), added.code, "up");
    expect(await stageNames()).toEqual(await freshStageNames());
    await removeLeadStage(deps, await page(), added.code, undefined);
    expect(await stageNames()).not.toContain("Demo held");
    expect(await stageNames()).toEqual(await freshStageNames());
  });
});
