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

/** What a stage means: open deals count towards the pipeline; won and lost ones are closed. */
export const stageKinds = ["open", "won", "lost"] as const;
export type StageKind = (typeof stageKinds)[number];

export class Pipeline extends Model<InferAttributes<Pipeline>, InferCreationAttributes<Pipeline>> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare name: string;
  /** true for the business's default pipeline, null otherwise (see the migration's unique index). */
  declare isDefault: boolean | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare stages?: NonAttribute<PipelineStage[]>;

  static initModel(sequelize: Sequelize): typeof Pipeline {
    return Pipeline.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        name: { type: DataTypes.STRING(100), allowNull: false },
        isDefault: { type: DataTypes.BOOLEAN, allowNull: true },
        ...timestampAttributes,
      },
      { sequelize, tableName: "pipelines", modelName: "Pipeline" },
    );
  }
}

export class PipelineStage extends Model<
  InferAttributes<PipelineStage>,
  InferCreationAttributes<PipelineStage>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare pipelineId: number;
  declare name: string;
  declare position: number;
  declare probability: number;
  declare kind: StageKind;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof PipelineStage {
    return PipelineStage.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        pipelineId: { type: DataTypes.INTEGER, allowNull: false },
        name: { type: DataTypes.STRING(60), allowNull: false },
        position: { type: DataTypes.INTEGER, allowNull: false },
        probability: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        kind: { type: DataTypes.STRING(8), allowNull: false },
        ...timestampAttributes,
      },
      { sequelize, tableName: "pipeline_stages", modelName: "PipelineStage" },
    );
  }
}

export class Deal extends Model<InferAttributes<Deal>, InferCreationAttributes<Deal>> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare pipelineId: number;
  declare stageId: number;
  declare title: string;
  declare customerId: number | null;
  /** The lead this deal was converted from (attribution reads it); null for deals made directly. */
  declare leadId: CreationOptional<number | null>;
  /** Integer minor units of `currency` (paise for INR). */
  declare amountMinor: number;
  declare currency: string;
  /** YYYY-MM-DD, or null. */
  declare expectedCloseOn: string | null;
  declare ownerId: number | null;
  declare createdById: number | null;
  /** Why it was won or lost (optional, kept while the deal is closed). */
  declare reason: string | null;
  declare lastActivityAt: Date;
  declare closedAt: Date | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare customer?: NonAttribute<Customer | null>;
  declare owner?: NonAttribute<User | null>;
  declare stage?: NonAttribute<PipelineStage>;

  static initModel(sequelize: Sequelize): typeof Deal {
    return Deal.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        pipelineId: { type: DataTypes.INTEGER, allowNull: false },
        stageId: { type: DataTypes.INTEGER, allowNull: false },
        title: { type: DataTypes.STRING(200), allowNull: false },
        customerId: { type: DataTypes.INTEGER, allowNull: true },
        leadId: { type: DataTypes.INTEGER, allowNull: true },
        amountMinor: {
          type: DataTypes.BIGINT,
          allowNull: false,
          defaultValue: 0,
          // MySQL drivers may hand BIGINT back as a string; amounts stay below 2^53 (schema limit).
          get(this: Deal) {
            return Number(this.getDataValue("amountMinor"));
          },
        },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        expectedCloseOn: { type: DataTypes.DATEONLY, allowNull: true },
        ownerId: { type: DataTypes.INTEGER, allowNull: true },
        createdById: { type: DataTypes.INTEGER, allowNull: true },
        reason: { type: DataTypes.STRING(500), allowNull: true },
        lastActivityAt: { type: DataTypes.DATE, allowNull: false },
        closedAt: { type: DataTypes.DATE, allowNull: true },
        ...timestampAttributes,
      },
      { sequelize, tableName: "deals", modelName: "Deal" },
    );
  }
}

export type DealEventKind =
  "created" | "stage_changed" | "amount_changed" | "owner_changed" | "updated";

/** Something that happened to a deal; written explicitly by the deal commands (no hooks). */
export class DealEvent extends Model<
  InferAttributes<DealEvent>,
  InferCreationAttributes<DealEvent>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare dealId: number;
  declare actorId: number | null;
  declare kind: DealEventKind;
  /** JSON text of the facts ({ from, to } of a change). */
  declare details: string | null;
  declare createdAt: CreationOptional<Date>;
  declare actor?: NonAttribute<User | null>;

  static initModel(sequelize: Sequelize): typeof DealEvent {
    return DealEvent.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        dealId: { type: DataTypes.INTEGER, allowNull: false },
        actorId: { type: DataTypes.INTEGER, allowNull: true },
        kind: { type: DataTypes.STRING(32), allowNull: false },
        details: { type: DataTypes.TEXT, allowNull: true },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: "deal_events", modelName: "DealEvent", updatedAt: false },
    );
  }
}
