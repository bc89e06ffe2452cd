import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from "sequelize";
import { idAttribute, timestampAttributes } from "./attributes";
import type { Customer } from "./Customer";
import type { User } from "./User";

export const taskPriorities = ["low", "medium", "high", "urgent"] as const;
export type TaskPriority = (typeof taskPriorities)[number];
export const taskStatuses = ["open", "in_progress", "done", "cancelled"] as const;
export type TaskStatus = (typeof taskStatuses)[number];

export class Task extends Model<InferAttributes<Task>, InferCreationAttributes<Task>> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare customerId: number | null;
  /** A lead the task is about (made on the lead page or by a nurture run). */
  declare leadId: CreationOptional<number | null>;
  /** "<run>:<lead>:<step>" of the nurture run that made it; unique per business (idempotent runs). */
  declare nurtureKey: CreationOptional<string | null>;
  declare assigneeId: number | null;
  declare createdById: number | null;
  declare title: string;
  declare description: string | null;
  declare priority: TaskPriority;
  declare status: TaskStatus;
  declare dueAt: Date | null;
  declare remindedFor: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare customer?: NonAttribute<Customer | null>;
  declare assignee?: NonAttribute<User | null>;

  static initModel(sequelize: Sequelize): typeof Task {
    return Task.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        customerId: { type: DataTypes.INTEGER, allowNull: true },
        leadId: { type: DataTypes.INTEGER, allowNull: true },
        nurtureKey: { type: DataTypes.STRING(100), allowNull: true },
        assigneeId: { type: DataTypes.INTEGER, allowNull: true },
        createdById: { type: DataTypes.INTEGER, allowNull: true },
        title: { type: DataTypes.STRING(200), allowNull: false },
        description: { type: DataTypes.TEXT, allowNull: true },
        priority: { type: DataTypes.STRING(8), allowNull: false },
        status: { type: DataTypes.STRING(12), allowNull: false },
        dueAt: { type: DataTypes.DATE, allowNull: true },
        remindedFor: { type: DataTypes.DATE, allowNull: true },
        ...timestampAttributes,
      },
      { sequelize, tableName: "tasks", modelName: "Task" },
    );
  }
}
