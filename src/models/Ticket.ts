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

export const ticketPriorities = ["low", "normal", "high", "urgent"] as const;
export type TicketPriority = (typeof ticketPriorities)[number];
export const ticketStatuses = [
  "open",
  "in_progress",
  "waiting_on_customer",
  "resolved",
  "closed",
  "cancelled",
] as const;
export type TicketStatus = (typeof ticketStatuses)[number];
/** Where a ticket came from; web_form and whatsapp are created through the createTicket seam. */
export const ticketChannels = ["web_form", "email", "whatsapp", "manual"] as const;
export type TicketChannel = (typeof ticketChannels)[number];
/** reply: to the customer (e-mailed); note: internal; inbound: the customer's answer. */
export const ticketMessageKinds = ["reply", "note", "inbound"] as const;
export type TicketMessageKind = (typeof ticketMessageKinds)[number];

export class Ticket extends Model<InferAttributes<Ticket>, InferCreationAttributes<Ticket>> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare number: number;
  declare subject: string;
  declare customerId: number | null;
  declare category: string | null;
  declare priority: TicketPriority;
  declare channel: TicketChannel;
  declare status: TicketStatus;
  declare assigneeId: number | null;
  declare createdById: number | null;
  declare replyToken: string;
  declare firstResponseDueAt: Date | null;
  declare resolutionDueAt: Date | null;
  declare firstRespondedAt: Date | null;
  declare resolvedAt: Date | null;
  declare closedAt: Date | null;
  declare slaRemindedFor: string | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare customer?: NonAttribute<Customer | null>;
  declare assignee?: NonAttribute<User | null>;

  static initModel(sequelize: Sequelize): typeof Ticket {
    return Ticket.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        number: { type: DataTypes.INTEGER, allowNull: false },
        subject: { type: DataTypes.STRING(200), allowNull: false },
        customerId: { type: DataTypes.INTEGER, allowNull: true },
        category: { type: DataTypes.STRING(60), allowNull: true },
        priority: { type: DataTypes.STRING(8), allowNull: false },
        channel: { type: DataTypes.STRING(12), allowNull: false },
        status: { type: DataTypes.STRING(24), allowNull: false },
        assigneeId: { type: DataTypes.INTEGER, allowNull: true },
        createdById: { type: DataTypes.INTEGER, allowNull: true },
        replyToken: { type: DataTypes.STRING(32), allowNull: false },
        firstResponseDueAt: { type: DataTypes.DATE, allowNull: true },
        resolutionDueAt: { type: DataTypes.DATE, allowNull: true },
        firstRespondedAt: { type: DataTypes.DATE, allowNull: true },
        resolvedAt: { type: DataTypes.DATE, allowNull: true },
        closedAt: { type: DataTypes.DATE, allowNull: true },
        slaRemindedFor: { type: DataTypes.STRING(40), allowNull: true },
        ...timestampAttributes,
      },
      { sequelize, tableName: "tickets", modelName: "Ticket" },
    );
  }
}

/** The per-business counter the ticket numbers come from (see commands/tickets/numbering.ts). */
export class TicketCounter extends Model<
  InferAttributes<TicketCounter>,
  InferCreationAttributes<TicketCounter>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare lastNumber: number;

  static initModel(sequelize: Sequelize): typeof TicketCounter {
    return TicketCounter.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        lastNumber: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      },
      { sequelize, tableName: "ticket_counters", modelName: "TicketCounter", timestamps: false },
    );
  }
}

/** One message of a ticket's thread. */
export class TicketMessage extends Model<
  InferAttributes<TicketMessage>,
  InferCreationAttributes<TicketMessage>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare ticketId: number;
  declare kind: TicketMessageKind;
  declare authorId: number | null;
  declare fromEmail: string | null;
  declare externalId: string | null;
  declare body: string;
  declare createdAt: CreationOptional<Date>;
  declare author?: NonAttribute<User | null>;

  static initModel(sequelize: Sequelize): typeof TicketMessage {
    return TicketMessage.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        ticketId: { type: DataTypes.INTEGER, allowNull: false },
        kind: { type: DataTypes.STRING(12), allowNull: false },
        authorId: { type: DataTypes.INTEGER, allowNull: true },
        fromEmail: { type: DataTypes.STRING(191), allowNull: true },
        externalId: { type: DataTypes.STRING(191), allowNull: true },
        body: { type: DataTypes.TEXT, allowNull: false },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: "ticket_messages", modelName: "TicketMessage", updatedAt: false },
    );
  }
}

export type TicketEventKind =
  | "created"
  | "status_changed"
  | "assignee_changed"
  | "priority_changed"
  | "updated"
  | "reply_sent"
  | "note_added"
  | "customer_replied"
  | "sla_reminded";

/** Something that happened to a ticket; written explicitly by the ticket commands. */
export class TicketEvent extends Model<
  InferAttributes<TicketEvent>,
  InferCreationAttributes<TicketEvent>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare ticketId: number;
  declare actorId: number | null;
  declare kind: TicketEventKind;
  /** JSON text of the facts ({ from, to } of a change). */
  declare details: string | null;
  declare createdAt: CreationOptional<Date>;
  declare actor?: NonAttribute<User | null>;

  static initModel(sequelize: Sequelize): typeof TicketEvent {
    return TicketEvent.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        ticketId: { type: DataTypes.INTEGER, allowNull: false },
        actorId: { type: DataTypes.INTEGER, allowNull: true },
        kind: { type: DataTypes.STRING(32), allowNull: false },
        details: { type: DataTypes.TEXT, allowNull: true },
        createdAt: DataTypes.DATE,
      },
      { sequelize, tableName: "ticket_events", modelName: "TicketEvent", updatedAt: false },
    );
  }
}
