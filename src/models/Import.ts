import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type NonAttribute,
  type Sequelize,
} from "sequelize";
import type { SpreadsheetFormat } from "../lib/spreadsheets/types";
import { idAttribute, timestampAttributes } from "./attributes";
import type { User } from "./User";

/**
 * inspecting → ready → queued → running → completed | failed; completed or failed → reverting →
 * reverted. An API upload goes from inspecting straight to queued.
 */
export const importStatuses = [
  "inspecting",
  "ready",
  "queued",
  "running",
  "completed",
  "failed",
  "reverting",
  "reverted",
  "discarded",
] as const;
export type ImportStatus = (typeof importStatuses)[number];
export type ImportMode = "skip" | "update";
export type ImportFormat = SpreadsheetFormat;

/** A bulk import of customers from one uploaded file. */
export class Import extends Model<InferAttributes<Import>, InferCreationAttributes<Import>> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare userId: number | null;
  declare fileName: string;
  declare storedName: string | null;
  declare fileSize: number;
  declare format: ImportFormat | null;
  declare status: ImportStatus;
  declare mode: CreationOptional<ImportMode>;
  /** JSON of ImportSettings (commands/imports/settings.ts). */
  declare settings: string;
  /** JSON of Inspection (commands/imports/settings.ts). */
  declare inspection: CreationOptional<string | null>;
  declare totalRows: CreationOptional<number | null>;
  declare processedRows: CreationOptional<number>;
  declare createdCount: CreationOptional<number>;
  declare updatedCount: CreationOptional<number>;
  declare skippedCount: CreationOptional<number>;
  declare failedCount: CreationOptional<number>;
  declare errorId: CreationOptional<string | null>;
  declare errorMessage: CreationOptional<string | null>;
  declare seq: CreationOptional<number>;
  declare leaseOwner: CreationOptional<string | null>;
  declare leaseExpiresAt: CreationOptional<Date | null>;
  /** Claims of this import so far (src/db/lease.ts): each holder's job ids carry it. */
  declare leaseEpoch: CreationOptional<number>;
  declare runStartedAt: CreationOptional<Date | null>;
  declare runStartRows: CreationOptional<number>;
  declare startedAt: CreationOptional<Date | null>;
  declare finishedAt: CreationOptional<Date | null>;
  declare revertedAt: CreationOptional<Date | null>;
  declare revertedById: CreationOptional<number | null>;
  declare revertCursor: CreationOptional<number>;
  /** The undo's checkpoint among the customers the import created: the last id decided on. */
  declare revertCustomerCursor: CreationOptional<number>;
  /** What the undo did: customers deleted, restored and kept, tags deleted. */
  declare revertedDeletedCount: CreationOptional<number>;
  declare revertedRestoredCount: CreationOptional<number>;
  declare revertedKeptCount: CreationOptional<number>;
  declare revertedTagsCount: CreationOptional<number>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;
  declare user?: NonAttribute<User | null>;
  declare revertedBy?: NonAttribute<User | null>;

  static initModel(sequelize: Sequelize): typeof Import {
    const int = (defaultValue: number) => ({
      type: DataTypes.INTEGER,
      allowNull: false,
      defaultValue,
    });
    // A fresh object per attribute: Sequelize writes each attribute's column name into it.
    const optionalDate = () => ({ type: DataTypes.DATE, allowNull: true });
    return Import.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        userId: { type: DataTypes.INTEGER, allowNull: true },
        fileName: { type: DataTypes.STRING(255), allowNull: false },
        storedName: { type: DataTypes.STRING(100), allowNull: true },
        fileSize: { type: DataTypes.INTEGER, allowNull: false },
        format: { type: DataTypes.STRING(8), allowNull: true },
        status: { type: DataTypes.STRING(16), allowNull: false },
        mode: { type: DataTypes.STRING(8), allowNull: false, defaultValue: "skip" },
        settings: { type: DataTypes.TEXT, allowNull: false },
        inspection: { type: DataTypes.TEXT, allowNull: true },
        totalRows: { type: DataTypes.INTEGER, allowNull: true },
        processedRows: int(0),
        createdCount: int(0),
        updatedCount: int(0),
        skippedCount: int(0),
        failedCount: int(0),
        errorId: { type: DataTypes.STRING(32), allowNull: true },
        errorMessage: { type: DataTypes.STRING(500), allowNull: true },
        seq: int(0),
        leaseOwner: { type: DataTypes.STRING(40), allowNull: true },
        // Milliseconds: a lease compared in whole seconds looks held for up to a second too long.
        leaseExpiresAt: { type: DataTypes.DATE(3), allowNull: true },
        leaseEpoch: int(0),
        runStartedAt: optionalDate(),
        runStartRows: int(0),
        startedAt: optionalDate(),
        finishedAt: optionalDate(),
        revertedAt: optionalDate(),
        revertedById: { type: DataTypes.INTEGER, allowNull: true },
        revertCursor: int(0),
        revertCustomerCursor: int(0),
        revertedDeletedCount: int(0),
        revertedRestoredCount: int(0),
        revertedKeptCount: int(0),
        revertedTagsCount: int(0),
        ...timestampAttributes,
      },
      { sequelize, tableName: "imports", modelName: "Import" },
    );
  }
}

export type ImportErrorKind = "invalid" | "duplicate" | "limit";

/** A row of an import's file that was not imported, with its values and every reason. */
export class ImportRowError extends Model<
  InferAttributes<ImportRowError>,
  InferCreationAttributes<ImportRowError>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare importId: number;
  /** The row's number in the file. */
  declare sourceRow: number;
  declare kind: ImportErrorKind;
  /** JSON array of the row's cells as read. */
  declare rowValues: string;
  /** JSON array of messages. */
  declare messages: string;

  static initModel(sequelize: Sequelize): typeof ImportRowError {
    return ImportRowError.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        importId: { type: DataTypes.INTEGER, allowNull: false },
        sourceRow: { type: DataTypes.INTEGER, allowNull: false },
        kind: { type: DataTypes.STRING(10), allowNull: false },
        rowValues: { type: DataTypes.TEXT, allowNull: false },
        messages: { type: DataTypes.TEXT, allowNull: false },
      },
      { sequelize, tableName: "import_errors", modelName: "ImportRowError", timestamps: false },
    );
  }
}

/** What an import changed on an existing customer, kept so the import can be undone. */
export class ImportChange extends Model<
  InferAttributes<ImportChange>,
  InferCreationAttributes<ImportChange>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare importId: number;
  declare customerId: number;
  declare beforeValues: string;
  declare afterValues: string;
  declare addedTagIds: string;

  static initModel(sequelize: Sequelize): typeof ImportChange {
    return ImportChange.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        importId: { type: DataTypes.INTEGER, allowNull: false },
        customerId: { type: DataTypes.INTEGER, allowNull: false },
        beforeValues: { type: DataTypes.TEXT, allowNull: false },
        afterValues: { type: DataTypes.TEXT, allowNull: false },
        addedTagIds: { type: DataTypes.TEXT, allowNull: false },
      },
      { sequelize, tableName: "import_changes", modelName: "ImportChange", timestamps: false },
    );
  }
}
