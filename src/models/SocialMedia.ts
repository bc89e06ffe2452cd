import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { idAttribute } from "./attributes";

/** A picture or video in a business's media library (files under UPLOADS_DIR/social). */
export class SocialMedia extends Model<
  InferAttributes<SocialMedia>,
  InferCreationAttributes<SocialMedia>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  /** Relative to UPLOADS_DIR. */
  declare filePath: string;
  declare originalName: string;
  declare mimeType: string;
  declare bytes: number;
  declare width: number | null;
  declare height: number | null;
  /** Relative to UPLOADS_DIR; null when no thumbnail was made (the file itself is shown). */
  declare thumbnailPath: string | null;
  declare uploadedBy: number | null;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof SocialMedia {
    return SocialMedia.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        filePath: { type: DataTypes.STRING(300), allowNull: false },
        originalName: { type: DataTypes.STRING(200), allowNull: false },
        mimeType: { type: DataTypes.STRING(60), allowNull: false },
        bytes: { type: DataTypes.INTEGER, allowNull: false },
        width: { type: DataTypes.INTEGER, allowNull: true },
        height: { type: DataTypes.INTEGER, allowNull: true },
        thumbnailPath: { type: DataTypes.STRING(300), allowNull: true },
        uploadedBy: { type: DataTypes.INTEGER, allowNull: true },
        createdAt: DataTypes.DATE(3),
        updatedAt: DataTypes.DATE(3),
      },
      { sequelize, tableName: "social_media", modelName: "SocialMedia" },
    );
  }
}
