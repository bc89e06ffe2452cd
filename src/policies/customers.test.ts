import { AppError } from "../errors";
import { mayAssignOwners, mayChangeSegment, mayOpenCustomer, ownerFor } from "./customers";
import type { Role } from "./permissions";

const as = (role: Role, id = 7) => ({ membership: { role }, user: { id } });

function refusal(work: () => unknown): AppError | undefined {
  try {
    work();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  return undefined;
}

describe("the owner rule (edit form, API, bulk assign, import)", () => {
  it("lets owners, admins and managers give customers to anyone and keep them by default", () => {
    for (const role of ["owner", "admin", "manager"] as const) {
      expect(mayAssignOwners(as(role))).toBe(true);
      expect(ownerFor(as(role), "new", null)).toBe(7);
      expect(ownerFor(as(role), "new", 9)).toBe(9);
      expect(ownerFor(as(role), 3, undefined)).toBe(3);
      expect(ownerFor(as(role), null, null)).toBeNull();
      expect(ownerFor(as(role), 3, 9)).toBe(9);
      expect(ownerFor(as(role), "several", 9)).toBe(9);
      expect(refusal(() => ownerFor(as(role), "several", null))?.id).toBe("validation_failed");
    }
  });

  it("keeps sales to owning what they create and refuses handing customers over", () => {
    const seller = as("sales");
    expect(mayAssignOwners(seller)).toBe(false);
    expect(ownerFor(seller, "new", null)).toBe(7);
    expect(ownerFor(seller, "new", 7)).toBe(7);
    expect(ownerFor(seller, 7, 7)).toBe(7);
    expect(ownerFor(seller, 7, undefined)).toBe(7);
    for (const refused of [
      () => ownerFor(seller, "new", 9),
      () => ownerFor(seller, 7, 9),
      () => ownerFor(seller, "several", 9),
      () => ownerFor(seller, "several", 7),
    ]) {
      const error = refusal(refused);
      expect(error?.status).toBe(403);
      expect(error?.message).toMatch(/^Only an owner, admin or manager can hand customers/);
    }
  });

  it("lets members limited to their own records open only those", () => {
    expect(mayOpenCustomer(as("sales"), { ownerId: 7 })).toBe(true);
    expect(mayOpenCustomer(as("sales"), { ownerId: 8 })).toBe(false);
    expect(mayOpenCustomer(as("sales"), { ownerId: null })).toBe(false);
    expect(mayOpenCustomer(as("support"), { ownerId: 8 })).toBe(true);
  });

  it("lets authors and owners, admins and managers change a segment", () => {
    expect(mayChangeSegment(as("sales"), { createdById: 7 })).toBe(true);
    expect(mayChangeSegment(as("sales"), { createdById: 8 })).toBe(false);
    expect(mayChangeSegment(as("marketing"), { createdById: 8 })).toBe(false);
    expect(mayChangeSegment(as("manager"), { createdById: 8 })).toBe(true);
    expect(mayChangeSegment(as("admin"), { createdById: null })).toBe(true);
  });
});
