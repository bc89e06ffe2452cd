import {
  DataTypes,
  Model,
  Sequelize,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
} from "sequelize";
import type { PlanRecord } from "../plans/plans";
import type { Role } from "../policies/permissions";
import type { BusinessRecord, MembershipRecord, TenantContext } from "./context";
import { findInBusiness, registerOwnership, tenantWhere } from "./scope";

/** A tenant-owned table with an owner and an assignee, as customers and tasks will have. */
class Note extends Model<InferAttributes<Note>, InferCreationAttributes<Note>> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare ownerId: number;
  declare assigneeId: number | null;
}

function contextFor(businessId: number, userId: number, role: Role): TenantContext {
  return {
    user: {
      id: userId,
      name: "U",
      email: "u@example.test",
      initials: "U",
      isPlatformAdmin: false,
      avatarUrl: null,
    },
    business: { id: businessId } as BusinessRecord,
    membership: { role } as MembershipRecord,
    plan: {} as PlanRecord,
    businesses: [],
    system: false,
  };
}

describe("the scoping helper", () => {
  const sequelize = new Sequelize({ dialect: "sqlite", storage: ":memory:", logging: false });
  let ids: Record<string, number>;

  beforeAll(async () => {
    Note.init(
      {
        id: { type: DataTypes.INTEGER, primaryKey: true, autoIncrement: true },
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        ownerId: { type: DataTypes.INTEGER, allowNull: false },
        assigneeId: { type: DataTypes.INTEGER, allowNull: true },
      },
      { sequelize, tableName: "notes", underscored: true, timestamps: false },
    );
    await sequelize.sync();
    registerOwnership(Note, ["ownerId", "assigneeId"]);
    const rows = await Note.bulkCreate([
      { businessId: 1, ownerId: 10, assigneeId: null },
      { businessId: 1, ownerId: 11, assigneeId: 10 },
      { businessId: 1, ownerId: 11, assigneeId: null },
      { businessId: 2, ownerId: 10, assigneeId: null },
    ]);
    ids = {
      own: rows[0]!.id,
      assigned: rows[1]!.id,
      colleagues: rows[2]!.id,
      otherBusiness: rows[3]!.id,
    };
  });
  afterAll(() => sequelize.close());

  it("lets sales see only records they own or are assigned, and nothing of another business", async () => {
    const sales = contextFor(1, 10, "sales");
    const visible = await Note.findAll({ where: tenantWhere(sales, Note), order: [["id", "ASC"]] });
    expect(visible.map((n) => n.id)).toEqual([ids.own, ids.assigned]);
    await expect(findInBusiness(sales, Note, ids.colleagues)).rejects.toMatchObject({
      id: "not_found",
      status: 404,
    });
    await expect(findInBusiness(sales, Note, ids.otherBusiness)).rejects.toMatchObject({
      status: 404,
    });
    expect((await findInBusiness(sales, Note, ids.assigned)).id).toBe(ids.assigned);
  });

  it("lets other roles see every record of their business, and still nothing of another", async () => {
    const manager = contextFor(1, 12, "manager");
    expect(await Note.count({ where: tenantWhere(manager, Note) })).toBe(3);
    await expect(findInBusiness(manager, Note, ids.otherBusiness)).rejects.toMatchObject({
      status: 404,
    });
  });

  it("answers 404, not 500, for ids that are not ids", async () => {
    const owner = contextFor(1, 10, "owner");
    for (const bad of ["abc", "-1", "0", "1.5", "9".repeat(30), undefined]) {
      await expect(findInBusiness(owner, Note, bad)).rejects.toMatchObject({ status: 404 });
    }
  });
});
