import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/**
 * Lead-capture forms (issue 12, item 1) and what visitors sent through them. A form's fields are
 * one JSON column: the public page reads the form in one statement, and the builder rewrites the
 * list as a whole (add, edit, reorder, remove) in one UPDATE.
 */
export const up: Migration = async ({ context: qi }) => {
  const options = tableOptions(qi);
  const text = (length: number) => ({ type: DataTypes.STRING(length), allowNull: true });
  const counter = () => ({ type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 });

  await qi.createTable(
    "forms",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      // Globally unique: /f/<slug> names the form (and so its business) without a session.
      slug: { type: DataTypes.STRING(64), allowNull: false },
      // lead (a submission creates or attaches to a lead) or support (it opens a ticket).
      kind: { type: DataTypes.STRING(16), allowNull: false, defaultValue: "lead" },
      status: { type: DataTypes.STRING(16), allowNull: false, defaultValue: "draft" },
      title: { type: DataTypes.STRING(150), allowNull: false },
      description: { type: DataTypes.TEXT, allowNull: true },
      fields: { type: DataTypes.TEXT, allowNull: false },
      success_message: text(500),
      redirect_url: text(500),
      color: { type: DataTypes.STRING(7), allowNull: false, defaultValue: "#0d6efd" },
      logo_file: text(100),
      source: { type: DataTypes.STRING(60), allowNull: false, defaultValue: "Web form" },
      campaign_name: text(150),
      // none, member (assignee_id) or round_robin.
      assignment: { type: DataTypes.STRING(16), allowNull: false, defaultValue: "none" },
      assignee_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      submission_count: counter(),
      spam_count: counter(),
      created_by_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      published_at: { type: DataTypes.DATE, allowNull: true },
      ...columns.timestamps(),
    },
    options,
  );
  await qi.addIndex("forms", ["slug"], { unique: true, name: "forms_slug_unique" });
  await qi.addIndex("forms", ["business_id", "id"], { name: "forms_business" });

  await qi.createTable(
    "form_submissions",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      form_id: columns.reference("forms"),
      // created_lead, attached_lead, attached_customer or ticket.
      outcome: { type: DataTypes.STRING(24), allowNull: false },
      lead_id: columns.reference("leads", { allowNull: true, onDelete: "SET NULL" }),
      customer_id: columns.reference("customers", { allowNull: true, onDelete: "SET NULL" }),
      ticket_id: columns.reference("tickets", { allowNull: true, onDelete: "SET NULL" }),
      answers: { type: DataTypes.TEXT, allowNull: false },
      utm_source: text(191),
      utm_medium: text(191),
      utm_campaign: text(191),
      utm_term: text(191),
      utm_content: text(191),
      referrer: text(500),
      landing_page: text(500),
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    options,
  );
  await qi.addIndex("form_submissions", ["business_id", "form_id", "id"], {
    name: "form_submissions_business_form",
  });
  await qi.addIndex("form_submissions", ["form_id"], { name: "form_submissions_form" });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("form_submissions");
  await qi.dropTable("forms");
};
