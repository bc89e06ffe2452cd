import { useTestDatabase } from "../../../test/support/database";
import { contextFor } from "../../../test/support/deps";
import { buildBusiness, buildCustomer, buildMember, buildUser } from "../../../test/factories";
import { AppError } from "../../errors";
import { customerColumns, translateDuplicate } from "./writes";

/**
 * A create that passed the phone check but lost the race to the unique index (another request
 * saved the number in between) reads as the same 409 as the check's — including what it hides
 * from members limited to their own customers.
 */
describe("a phone number lost to the unique index", () => {
  const db = useTestDatabase();

  async function raceAs(role: "sales" | "manager") {
    const { models } = db.current;
    const owner = await buildUser(models);
    const { business } = await buildBusiness(models, { owner });
    const { user } = await buildMember(models, business, role);
    const theirs = await buildCustomer(models, business, { name: "Ravi Kumar" });
    const ctx = await contextFor(db.current, business, user);
    const input = {
      name: "Racer",
      email: null,
      phoneE164: theirs.phoneE164,
      whatsappE164: theirs.phoneE164,
      tags: [],
      consentAt: null,
      birthDate: null,
      anniversary: null,
      ownerId: user.id,
    };
    // The insert itself, as createCustomer makes it after its check: the index refuses it.
    const insert = () =>
      models.Customer.create({
        businessId: business.id,
        ownerId: user.id,
        ...customerColumns(input),
      });
    let caught: unknown;
    try {
      await translateDuplicate(models, ctx, theirs.phoneE164, insert);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    return { error: caught as AppError, theirs };
  }

  it("tells sales only that a colleague has the number", async () => {
    const { error } = await raceAs("sales");
    expect(error.status).toBe(409);
    expect(error.details).toEqual({ field: "phone" });
    expect(error.message).not.toContain("Ravi Kumar");
  });

  it("links a manager to the customer that has it", async () => {
    const { error, theirs } = await raceAs("manager");
    expect(error.status).toBe(409);
    expect(error.details).toEqual({
      field: "phone",
      customerId: theirs.id,
      url: `/customers/${theirs.id}`,
    });
    expect(error.message).toContain("Ravi Kumar");
  });
});
