import {
  DataTypes,
  Model,
  type CreationOptional,
  type InferAttributes,
  type InferCreationAttributes,
  type Sequelize,
} from "sequelize";
import { attributionAttributes, idAttribute, timestampAttributes } from "./attributes";

export const formKinds = ["lead", "support"] as const;
export type FormKind = (typeof formKinds)[number];

export const formStatuses = ["draft", "published"] as const;
export type FormStatus = (typeof formStatuses)[number];

export const formAssignments = ["none", "member", "round_robin"] as const;
export type FormAssignment = (typeof formAssignments)[number];

export const formFieldTypes = [
  "text",
  "email",
  "phone",
  "number",
  "dropdown",
  "radio",
  "checkbox",
  "textarea",
  "date",
  "consent",
] as const;
export type FormFieldType = (typeof formFieldTypes)[number];

/** The lead fields a form field may fill (besides its answer, which is always kept). */
export const formFieldTargets = [
  "",
  "fullName",
  "firstName",
  "lastName",
  "company",
  "jobTitle",
  "location",
  "industry",
] as const;
export type FormFieldTarget = (typeof formFieldTargets)[number];

/** One field of a form, as stored in `forms.fields` (JSON array, in display order). */
export interface FormField {
  /** Stable within the form: answers are keyed by it (f1, f2, …). */
  key: string;
  type: FormFieldType;
  label: string;
  helpText: string | null;
  required: boolean;
  /** Choices of dropdown, radio and checkbox fields. */
  options: string[];
  /** The lead field a text field fills ("" for none). */
  target: FormFieldTarget;
}

export class Form extends Model<InferAttributes<Form>, InferCreationAttributes<Form>> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare slug: string;
  declare kind: CreationOptional<FormKind>;
  declare status: CreationOptional<FormStatus>;
  declare title: string;
  declare description: string | null;
  /** JSON array of FormField. */
  declare fields: string;
  declare successMessage: string | null;
  declare redirectUrl: string | null;
  /** #rrggbb */
  declare color: CreationOptional<string>;
  /** File name of the uploaded logo under UPLOADS_DIR/forms. */
  declare logoFile: CreationOptional<string | null>;
  declare source: CreationOptional<string>;
  declare campaignName: string | null;
  declare assignment: CreationOptional<FormAssignment>;
  declare assigneeId: number | null;
  declare submissionCount: CreationOptional<number>;
  declare spamCount: CreationOptional<number>;
  declare createdById: number | null;
  declare publishedAt: CreationOptional<Date | null>;
  declare createdAt: CreationOptional<Date>;
  declare updatedAt: CreationOptional<Date>;

  static initModel(sequelize: Sequelize): typeof Form {
    const text = (length: number) => ({ type: DataTypes.STRING(length), allowNull: true });
    const counter = () => ({ type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });
    return Form.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        slug: { type: DataTypes.STRING(64), allowNull: false },
        kind: { type: DataTypes.STRING(16), allowNull: false, defaultValue: "lead" },
        status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: "draft" },
        title: { type: DataTypes.STRING(150), allowNull: false },
        description: { type: DataTypes.TEXT, allowNull: true },
        fields: { type: DataTypes.TEXT, allowNull: false },
        successMessage: text(500),
        redirectUrl: text(500),
        color: { type: DataTypes.STRING(7), allowNull: false, defaultValue: "#0d6efd" },
        logoFile: text(100),
        source: { type: DataTypes.STRING(60), allowNull: false, defaultValue: "Web form" },
        campaignName: text(150),
        assignment: { type: DataTypes.STRING(16), allowNull: false, defaultValue: "none" },
        assigneeId: { type: DataTypes.INTEGER, allowNull: true },
        submissionCount: counter(),
        spamCount: counter(),
        createdById: { type: DataTypes.INTEGER, allowNull: true },
        publishedAt: { type: DataTypes.DATE, allowNull: true },
        ...timestampAttributes,
      },
      { sequelize, tableName: "forms", modelName: "Form" },
    );
  }
}

export const submissionOutcomes = [
  /** Saved, and its follow-up (forms/followUp.ts) has not yet made it a lead or attached it. */
  "received",
  "created_lead",
  "attached_lead",
  "attached_customer",
  "ticket",
] as const;
export type SubmissionOutcome = (typeof submissionOutcomes)[number];

/** What a visitor sent through a form, and what it became. */
export class FormSubmission extends Model<
  InferAttributes<FormSubmission>,
  InferCreationAttributes<FormSubmission>
> {
  declare id: CreationOptional<number>;
  declare businessId: number;
  declare formId: number;
  declare outcome: SubmissionOutcome;
  declare leadId: number | null;
  declare customerId: number | null;
  declare ticketId: number | null;
  /** JSON object: field key → answer (string, or string[] for checkboxes). */
  declare answers: string;
  declare utmSource: string | null;
  declare utmMedium: string | null;
  declare utmCampaign: string | null;
  declare utmTerm: string | null;
  declare utmContent: string | null;
  declare referrer: string | null;
  declare landingPage: string | null;
  declare createdAt: CreationOptional<Date>;
  /** When the follow-up job ran (forms/followUp.ts); null while it is owed. */
  declare processedAt: CreationOptional<Date | null>;

  static initModel(sequelize: Sequelize): typeof FormSubmission {
    return FormSubmission.init(
      {
        id: idAttribute,
        businessId: { type: DataTypes.INTEGER, allowNull: false },
        formId: { type: DataTypes.INTEGER, allowNull: false },
        outcome: { type: DataTypes.STRING(24), allowNull: false },
        leadId: { type: DataTypes.INTEGER, allowNull: true },
        customerId: { type: DataTypes.INTEGER, allowNull: true },
        ticketId: { type: DataTypes.INTEGER, allowNull: true },
        answers: { type: DataTypes.TEXT, allowNull: false },
        ...attributionAttributes,
        createdAt: DataTypes.DATE,
        processedAt: { type: DataTypes.DATE, allowNull: true },
      },
      { sequelize, tableName: "form_submissions", modelName: "FormSubmission", updatedAt: false },
    );
  }
}
