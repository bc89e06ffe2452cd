import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from "sequelize";
import { idAttribute } from "./attributes";
import type { User } from "./User";

/** Something that happened to a customer; written explicitly by commands, never by hooks. */
export type TimelineKind =
  | "created"
  | "updated"
  | "tagged"
  | "untagged"
  | "imported"
  | "merged"
  | "note_added"
  | "task_created"
  | "task_updated"
  | "task_completed"
  | "message_sent"
  /** The customer wrote to the business on WhatsApp (details: channel, text, type, providerMessageId). */
  | "message_received"
  /** A campaign's message went out to this customer (details: campaignId, campaignName, channel). */
  | "campaign_message_sent"
  /** The customer opted out of marketing (details: reason, channel). */
  | "marketing_opted_out"
  /** The customer's e-mail address hard-bounced: marketing e-mail skips it (details: email, reason, campaignId, campaignName). */
  | "email_suppressed"
  /** A member let marketing e-mail reach the address again (details: email). */
  | "email_unsuppressed"
  /** The customer first opened a campaign e-mail (details: campaignId, campaignName, byClick?). */
  | "email_opened"
  /** The customer first clicked a link of a campaign e-mail (details: campaignId, campaignName, url). */
  | "email_clicked"
  /** A public form's submission matched this customer's phone or e-mail (details: form, answers). */
  | "form_submitted"
  /** A lead was converted into this customer (details: leadId, leadName, dealId, matched). */
  | "converted_from_lead";

export class TimelineEvent extends Model<
  InferAttributes<TimelineEvent>,
  InferCreationAttributes<TimelineEvent>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare customerId: number;
  declare actorId: number | null;
  declare kind: TimelineKind;
  /** JSON text of the event's facts (changed fields, tag names, file name…). */
  declare details: string | null;
  declare createdAt: CreationOptional<Date>;
  declare actor?: NonAttribute<User | null>;

  static initModel(sequelize: Sequelize): typeof TimelineEvent {
    return TimelineEvent.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        customerId: { type: DataTypes.INTEGER, allowNull: false },
        actorId: { type: DataTypes.INTEGER, allowNull: true },
        kind: { type: DataTypes.STRING(32), allowNull: false },
        details: { type: DataTypes.TEXT, allowNull: true },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: "timeline_events", modelName: "TimelineEvent", updatedAt: false },
    );
  }
}
