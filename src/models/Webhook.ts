import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idAttribute } from "./attributes";

/** A URL a business subscribed to some of its events (src/webhooks). */
export class WebhookEndpoint extends Model<
  InferAttributes<WebhookEndpoint>,
  InferCreationAttributes<WebhookEndpoint>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare url: string;
  declare description: string | null;
  /** JSON array of event types (webhooks/events.ts). */
  declare events: string;
  /** Signs every payload sent to this endpoint; shown to its managers, rotatable. */
  declare secret: string;
  /** The secret before the last rotation: it still signs, beside the new one, until… */
  declare previousSecret: CreationOptional<string | null>;
  declare previousSecretUntil: CreationOptional<Date | null>;
  declare enabled: CreationOptional<boolean>;
  declare disabledReason: CreationOptional<string | null>;
  declare disabledAt: CreationOptional<Date | null>;
  declare failingSince: CreationOptional<Date | null>;
  declare consecutiveFailures: CreationOptional<number>;
  declare createdById: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof WebhookEndpoint {
    return WebhookEndpoint.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        url: { type: DataTypes.STRING(2048), allowNull: false },
        description: { type: DataTypes.STRING(200), allowNull: true },
        events: { type: DataTypes.TEXT, allowNull: false },
        secret: { type: DataTypes.STRING(100), allowNull: false },
        previousSecret: { type: DataTypes.STRING(100), allowNull: true },
        previousSecretUntil: { type: DataTypes.DATE(3), allowNull: true },
        enabled: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: true },
        disabledReason: { type: DataTypes.STRING(300), allowNull: true },
        disabledAt: { type: DataTypes.DATE(3), allowNull: true },
        failingSince: { type: DataTypes.DATE(3), allowNull: true },
        consecutiveFailures: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        createdById: { type: DataTypes.INTEGER, allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: "webhook_endpoints", modelName: "WebhookEndpoint" },
    );
  }
}

/** One published event: its body is sent, byte for byte, on every attempt and replay. */
export class WebhookEvent extends Model<
  InferAttributes<WebhookEvent>,
  InferCreationAttributes<WebhookEvent>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  /** "evt_…": the Webhook-Id header and the body's "id". */
  declare publicId: string;
  declare type: string;
  declare body: string;
  declare createdAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof WebhookEvent {
    return WebhookEvent.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        publicId: { type: DataTypes.STRING(40), allowNull: false },
        type: { type: DataTypes.STRING(64), allowNull: false },
        body: { type: DataTypes.TEXT, allowNull: false },
        createdAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: "webhook_events", modelName: "WebhookEvent", updatedAt: false },
    );
  }
}

export type DeliveryStatus = "pending" | "delivered" | "failed" | "cancelled";

/** One event owed to one endpoint: the source of truth of what is still to send. */
export class WebhookDelivery extends Model<
  InferAttributes<WebhookDelivery>,
  InferCreationAttributes<WebhookDelivery>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare endpointId: number;
  declare eventId: number;
  declare status: DeliveryStatus;
  declare attempts: CreationOptional<number>;
  declare nextAttemptAt: Date | null;
  declare lastAttemptAt: CreationOptional<Date | null>;
  declare responseStatus: CreationOptional<number | null>;
  declare durationMs: CreationOptional<number | null>;
  declare lastError: CreationOptional<string | null>;
  declare deliveredAt: CreationOptional<Date | null>;
  declare replayOfId: CreationOptional<number | null>;
  declare leaseOwner: CreationOptional<string | null>;
  declare leaseExpiresAt: CreationOptional<Date | null>;
  declare leaseEpoch: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof WebhookDelivery {
    return WebhookDelivery.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        endpointId: { type: DataTypes.INTEGER, allowNull: false },
        eventId: { type: DataTypes.INTEGER, allowNull: false },
        status: { type: DataTypes.STRING(16), allowNull: false },
        attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        nextAttemptAt: { type: DataTypes.DATE(3), allowNull: true },
        lastAttemptAt: { type: DataTypes.DATE(3), allowNull: true },
        responseStatus: { type: DataTypes.INTEGER, allowNull: true },
        durationMs: { type: DataTypes.INTEGER, allowNull: true },
        lastError: { type: DataTypes.STRING(300), allowNull: true },
        deliveredAt: { type: DataTypes.DATE(3), allowNull: true },
        replayOfId: { type: DataTypes.INTEGER, allowNull: true },
        leaseOwner: { type: DataTypes.STRING(40), allowNull: true },
        leaseExpiresAt: { type: DataTypes.DATE(3), allowNull: true },
        leaseEpoch: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: "webhook_deliveries", modelName: "WebhookDelivery" },
    );
  }
}
