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

/** A nullable VARCHAR of `length`. */
export const optionalString = (length: number) =>
  ({ type: DataTypes.STRING(length), allowNull: true }) as const;

/**
 * Where a lead or a form submission came from: the same columns on leads and form_submissions
 * (their migrations create them alike), so the submission's values copy straight onto the lead.
 */
export const attributionAttributes = {
  utmSource: optionalString(191),
  utmMedium: optionalString(191),
  utmCampaign: optionalString(191),
  utmTerm: optionalString(191),
  utmContent: optionalString(191),
  referrer: optionalString(500),
  landingPage: optionalString(500),
} as const;
