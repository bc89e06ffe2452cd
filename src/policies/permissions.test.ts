import { actions, assignableRoles, can, roles, seesOnlyOwnRecords } from "./permissions";

describe("the permission table", () => {
  it("gives the owner everything and nobody else deletion of the business or billing", () => {
    for (const action of actions) expect(can("owner", action)).toBe(true);
    for (const role of roles.filter((r) => r !== "owner")) {
      expect(can(role, "business.delete")).toBe(false);
      expect(can(role, "billing.manage")).toBe(false);
    }
  });

  it("reads as the product describes the roles", () => {
    expect(can("admin", "team.manage")).toBe(true);
    expect(can("manager", "team.invite")).toBe(false);
    expect(can("sales", "customers.manage")).toBe(true);
    // Sales exports too, but like everything else only the customers they own.
    expect(can("sales", "customers.export")).toBe(true);
    expect(can("marketing", "campaigns.manage")).toBe(true);
    expect(can("marketing", "customers.manage")).toBe(false);
    expect(can("support", "tickets.manage")).toBe(true);
    // Support sees and works tickets and only reads customers.
    expect(can("support", "tickets.view")).toBe(true);
    expect(can("support", "customers.view")).toBe(true);
    expect(can("support", "customers.manage")).toBe(false);
    expect(can("support", "tasks.manage")).toBe(false);
    expect(roles.filter((role) => can(role, "tickets.view"))).toEqual([
      "owner",
      "admin",
      "manager",
      "support",
    ]);
    expect(can("support", "campaigns.manage")).toBe(false);
    // Sales works on its own customers; what is shared by the team is managed above it.
    for (const action of ["customers.assign", "tags.manage", "segments.manage"] as const) {
      expect(roles.filter((role) => can(role, action))).toEqual(["owner", "admin", "manager"]);
    }
    expect(seesOnlyOwnRecords("sales")).toBe(true);
    expect(roles.filter(seesOnlyOwnRecords)).toEqual(["sales"]);
  });

  it("never hands out ownership; owners give any other role, admins the roles below theirs", () => {
    expect(assignableRoles("owner")).toEqual(["admin", "manager", "sales", "marketing", "support"]);
    expect(assignableRoles("admin")).toEqual(["manager", "sales", "marketing", "support"]);
    expect(assignableRoles("manager")).toEqual([]);
  });
});
