import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from "sequelize";
import { attributionAttributes, idAttribute, timestampAttributes } from "./attributes";
import type { User } from "./User";

/**
 * A lead's stage, stored as a code. The list is fixed for now; "configurable stages" (issue 12,
 * item 2) would move it to a per-business table keyed by these codes, so the column stays a code.
 */
export const leadStages = ["new", "contacted", "qualified", "lost", "converted"] as const;
export type LeadStage = (typeof leadStages)[number];

export const leadTemperatures = ["hot", "warm", "cold"] as const;
export type LeadTemperature = (typeof leadTemperatures)[number];

/**
 * Temperature is derived from the score, never stored: Hot above 70, Warm 40 to 70 (both bounds
 * Warm), Cold below 40. Kept as ranges so the list filters by it with a plain score condition.
 */
export const temperatureRanges: Record<LeadTemperature, { min: number; max: number }> = {
  hot: { min: 71, max: 100 },
  warm: { min: 40, max: 70 },
  cold: { min: 0, max: 39 },
};

export function temperatureOf(score: number): LeadTemperature {
  if (score > 70) return "hot";
  if (score >= 40) return "warm";
  return "cold";
}

export class Lead extends Model<InferAttributes<Lead>, InferCreationAttributes<Lead>> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare firstName: string;
  declare lastName: string | null;
  declare company: string | null;
  declare jobTitle: string | null;
  declare email: string | null;
  declare phoneE164: string | null;
  declare location: string | null;
  declare industry: string | null;
  declare source: string | null;
  /** Free text until campaigns exist; a later campaign_id can be filled from it. */
  declare campaignName: string | null;
  declare stage: LeadStage;
  declare score: number;
  /** A score set by hand: wins over the rules while set (score then holds it; rules say N). */
  declare scoreOverride: CreationOptional<number | null>;
  /** JSON text of the latest form answers, keyed by form field key (scoring rules read it). */
  declare answers: CreationOptional<string | null>;
  /** The import that created the lead (its undo deletes it). */
  declare importId: CreationOptional<number | null>;
  declare statusReason: string | null;
  declare ownerId: number | null;
  declare createdById: number | null;
  /** Set by conversion (with dealId): the customer and deal this lead became. */
  declare customerId: CreationOptional<number | null>;
  declare dealId: CreationOptional<number | null>;
  declare lastContactedAt: Date | null;
  declare nextAction: string | null;
  /** YYYY-MM-DD, in the business's calendar. */
  declare nextActionOn: string | null;
  declare bantBudget: boolean;
  declare bantAuthority: boolean;
  declare bantNeed: boolean;
  declare bantTimeline: boolean;
  /** JSON array of product names. */
  declare interestedProducts: string | null;
  declare consentEmailAt: Date | null;
  declare consentWhatsappAt: Date | null;
  declare utmSource: string | null;
  declare utmMedium: string | null;
  declare utmCampaign: string | null;
  declare utmTerm: string | null;
  declare utmContent: string | null;
  declare referrer: string | null;
  declare landingPage: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare owner?: NonAttribute<User | null>;

  static initModel(sequelize: Sequelize): typeof Lead {
    const text = (length: number) => ({ type: DataTypes.STRING(length), allowNull: true });
    // A new object each time: Sequelize writes the column name into the definition it is given.
    // A new object per column: Sequelize writes the column name into the definition it is given.
    const flag = () => ({ type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false });
    return Lead.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        firstName: { type: DataTypes.STRING(100), allowNull: false },
        lastName: text(100),
        company: text(150),
        jobTitle: text(100),
        email: text(191),
        phoneE164: text(20),
        location: text(150),
        industry: text(100),
        source: text(60),
        campaignName: text(150),
        stage: { type: DataTypes.STRING(16), allowNull: false },
        score: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        scoreOverride: { type: DataTypes.INTEGER, allowNull: true },
        answers: { type: DataTypes.TEXT, allowNull: true },
        importId: { type: DataTypes.INTEGER, allowNull: true },
        statusReason: text(200),
        ownerId: { type: DataTypes.INTEGER, allowNull: true },
        createdById: { type: DataTypes.INTEGER, allowNull: true },
        customerId: { type: DataTypes.INTEGER, allowNull: true },
        dealId: { type: DataTypes.INTEGER, allowNull: true },
        lastContactedAt: { type: DataTypes.DATE, allowNull: true },
        nextAction: text(200),
        nextActionOn: { type: DataTypes.DATEONLY, allowNull: true },
        bantBudget: flag(),
        bantAuthority: flag(),
        bantNeed: flag(),
        bantTimeline: flag(),
        interestedProducts: { type: DataTypes.TEXT, allowNull: true },
        consentEmailAt: { type: DataTypes.DATE, allowNull: true },
        consentWhatsappAt: { type: DataTypes.DATE, allowNull: true },
        ...attributionAttributes,
        ...timestampAttributes,
      },
      { sequelize, tableName: "leads", modelName: "Lead" },
    );
  }
}

export type LeadEventKind =
  | "created"
  | "stage_changed"
  | "owner_changed"
  | "updated"
  /** A public form was sent by this lead (a new lead's first, or a returning visitor's). */
  | "form_submitted"
  /** Converted into a customer and a deal (details: customerId, dealId, matched). */
  | "converted"
  /** Follow-up tasks were planned by a nurture run (details: run, steps). */
  | "nurtured";

/** Something that happened to a lead; written explicitly by the lead commands. */
export class LeadEvent extends Model<
  InferAttributes<LeadEvent>,
  InferCreationAttributes<LeadEvent>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare leadId: number;
  declare actorId: number | null;
  declare kind: LeadEventKind;
  /** JSON text of the facts ({ from, to } of a change). */
  declare details: string | null;
  declare createdAt: CreationOptional<Date>;
  declare actor?: NonAttribute<User | null>;

  static initModel(sequelize: Sequelize): typeof LeadEvent {
    return LeadEvent.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        leadId: { type: DataTypes.INTEGER, allowNull: false },
        actorId: { type: DataTypes.INTEGER, allowNull: true },
        kind: { type: DataTypes.STRING(32), allowNull: false },
        details: { type: DataTypes.TEXT, allowNull: true },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: "lead_events", modelName: "LeadEvent", updatedAt: false },
    );
  }
}
