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
import type { User } from "./User";

/** Channels a campaign is planned on; messaging (issue 11) sends on email and whatsapp. */
export const campaignChannels = [
  "email",
  "whatsapp",
  "paid_ads",
  "event",
  "webinar",
  "referral",
  "social",
  "other",
] as const;
export type CampaignChannel = (typeof campaignChannels)[number];

/** The planning status. A sending campaign's progress is a separate, later column. */
export const campaignStatuses = ["planned", "active", "paused", "completed"] as const;
export type CampaignStatus = (typeof campaignStatuses)[number];

/** A send's progress, beside the planning status (see commands/campaigns/sending). */
export const sendStates = [
  "draft",
  "scheduled",
  "sending",
  "paused",
  "completed",
  "cancelled",
] as const;
export type SendState = (typeof sendStates)[number];

/** Who a send may reach: customers with marketing consent, or everyone not opted out. */
export const consentRules = ["consented_only", "all_not_opted_out"] as const;
export type ConsentRule = (typeof consentRules)[number];

/** The audience rule a send freezes at start (stored as JSON text in send_audience). */
export interface SendAudience {
  kind: "all" | "segment" | "tags";
  segmentId?: number;
  tagIds?: number[];
}

export const campaignPriorities = ["low", "medium", "high"] as const;
export type CampaignPriority = (typeof campaignPriorities)[number];

export interface ComplianceItem {
  label: string;
  done: boolean;
}

/** The key the unique index holds: one campaign per name, whatever its case and spacing. */
export const campaignNameKey = (name: string) => name.trim().toLowerCase();

export class Campaign extends Model<InferAttributes<Campaign>, InferCreationAttributes<Campaign>> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare name: string;
  declare nameKey: string;
  declare objective: string | null;
  declare channel: CampaignChannel;
  declare audience: string | null;
  declare productLine: string | null;
  /** YYYY-MM-DD, in the business's calendar. */
  declare startsOn: string | null;
  declare endsOn: string | null;
  declare currency: string;
  declare budgetMinor: number | null;
  declare expectedSpendMinor: number | null;
  declare actualSpendMinor: number | null;
  declare plannedLeads: number | null;
  /** Leads the channel reported outside the CRM (entered). */
  declare reportedLeads: number | null;
  declare ownerId: number | null;
  declare createdById: number | null;
  declare status: CampaignStatus;
  declare priority: CampaignPriority;
  /** JSON array of ComplianceItem. */
  declare compliance: string | null;
  declare externalId: string | null;
  declare utmCampaign: string | null;
  declare sendState: CreationOptional<SendState>;
  declare templateId: CreationOptional<number | null>;
  /** JSON text of SendAudience. */
  declare sendAudience: CreationOptional<string | null>;
  declare consentRule: CreationOptional<ConsentRule>;
  declare scheduledAt: CreationOptional<Date | null>;
  declare sendStartedAt: CreationOptional<Date | null>;
  declare sendCompletedAt: CreationOptional<Date | null>;
  declare pausedReason: CreationOptional<string | null>;
  declare resumeAt: CreationOptional<Date | null>;
  declare sendRequestedById: CreationOptional<number | null>;
  declare parentCampaignId: CreationOptional<number | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare owner?: NonAttribute<User | null>;
  declare members?: NonAttribute<CampaignMember[]>;

  static initModel(sequelize: Sequelize): typeof Campaign {
    const text = (length: number) => ({ type: DataTypes.STRING(length), allowNull: true });
    // BIGINT comes back as a string on MariaDB: read as a number (amounts stay below 2^53).
    const money = (name: string) => ({
      type: DataTypes.BIGINT,
      allowNull: true,
      get(this: Campaign) {
        const value = this.getDataValue(name as "budgetMinor") as unknown;
        return value === null || value === undefined ? null : Number(value);
      },
    });
    return Campaign.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        name: { type: DataTypes.STRING(150), allowNull: false },
        nameKey: { type: DataTypes.STRING(150), allowNull: false },
        objective: text(500),
        channel: { type: DataTypes.STRING(16), allowNull: false },
        audience: text(500),
        productLine: text(150),
        startsOn: { type: DataTypes.DATEONLY, allowNull: true },
        endsOn: { type: DataTypes.DATEONLY, allowNull: true },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        budgetMinor: money("budgetMinor"),
        expectedSpendMinor: money("expectedSpendMinor"),
        actualSpendMinor: money("actualSpendMinor"),
        plannedLeads: { type: DataTypes.INTEGER, allowNull: true },
        reportedLeads: { type: DataTypes.INTEGER, allowNull: true },
        ownerId: { type: DataTypes.INTEGER, allowNull: true },
        createdById: { type: DataTypes.INTEGER, allowNull: true },
        status: { type: DataTypes.STRING(16), allowNull: false },
        priority: { type: DataTypes.STRING(8), allowNull: false },
        compliance: { type: DataTypes.TEXT, allowNull: true },
        externalId: text(191),
        utmCampaign: text(191),
        sendState: { type: DataTypes.STRING(16), allowNull: false, defaultValue: "draft" },
        templateId: { type: DataTypes.INTEGER, allowNull: true },
        sendAudience: { type: DataTypes.TEXT, allowNull: true },
        consentRule: {
          type: DataTypes.STRING(24),
          allowNull: false,
          defaultValue: "consented_only",
        },
        scheduledAt: { type: DataTypes.DATE, allowNull: true },
        sendStartedAt: { type: DataTypes.DATE, allowNull: true },
        sendCompletedAt: { type: DataTypes.DATE, allowNull: true },
        pausedReason: text(191),
        resumeAt: { type: DataTypes.DATE, allowNull: true },
        sendRequestedById: { type: DataTypes.INTEGER, allowNull: true },
        parentCampaignId: { type: DataTypes.INTEGER, allowNull: true },
        ...timestampAttributes,
      },
      { sequelize, tableName: "campaigns", modelName: "Campaign" },
    );
  }
}

/** A member on a campaign's team. */
export class CampaignMember extends Model<
  InferAttributes<CampaignMember>,
  InferCreationAttributes<CampaignMember>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare campaignId: number;
  declare userId: number;
  declare createdAt: CreationOptional<Date>;
  declare user?: NonAttribute<User>;

  static initModel(sequelize: Sequelize): typeof CampaignMember {
    return CampaignMember.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        campaignId: { type: DataTypes.INTEGER, allowNull: false },
        userId: { type: DataTypes.INTEGER, allowNull: false },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: "campaign_members", modelName: "CampaignMember", updatedAt: false },
    );
  }
}

/** A member's monthly sales target, from `month` (YYYY-MM) until a later row replaces it. */
export class SalesTarget extends Model<
  InferAttributes<SalesTarget>,
  InferCreationAttributes<SalesTarget>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare userId: number;
  declare month: string;
  declare amountMinor: number;
  declare currency: string;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof SalesTarget {
    return SalesTarget.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        userId: { type: DataTypes.INTEGER, allowNull: false },
        month: { type: DataTypes.STRING(7), allowNull: false },
        amountMinor: {
          type: DataTypes.BIGINT,
          allowNull: false,
          get(this: SalesTarget) {
            return Number(this.getDataValue("amountMinor"));
          },
        },
        currency: { type: DataTypes.STRING(3), allowNull: false },
        ...timestampAttributes,
      },
      { sequelize, tableName: "sales_targets", modelName: "SalesTarget" },
    );
  }
}
