import { DataTypes } from "sequelize";

/** The attributes every table shares, declared once (the migrations create them the same way). */
export const idAttribute = {
  type: DataTypes.INTEGER,
  primaryKey: true,
  autoIncrement: true,
} as const;

export const timestampAttributes = {
  createdAt: DataTypes.DATE,
  updatedAt: DataTypes.DATE,
} as const;
