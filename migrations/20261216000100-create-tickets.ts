import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/**
 * Support tickets: a per-business counter (gapless numbers), the tickets, their threaded messages
 * and their timeline.
 */
export const up: Migration = async ({ context: qi }) => {
  const options = tableOptions(qi);

  // One row per business, bumped in the transaction that writes the ticket: a rolled-back ticket
  // rolls its number back too, so numbers have no gaps.
  await qi.createTable(
    "ticket_counters",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      last_number: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
    },
    options,
  );
  await qi.addIndex("ticket_counters", ["business_id"], {
    unique: true,
    name: "ticket_counters_business_unique",
  });

  await qi.createTable(
    "tickets",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      number: { type: DataTypes.INTEGER, allowNull: false },
      subject: { type: DataTypes.STRING(200), allowNull: false },
      customer_id: columns.reference("customers", { allowNull: true, onDelete: "SET NULL" }),
      category: { type: DataTypes.STRING(60), allowNull: true },
      priority: { type: DataTypes.STRING(8), allowNull: false },
      channel: { type: DataTypes.STRING(12), allowNull: false },
      status: { type: DataTypes.STRING(24), allowNull: false },
      assignee_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      created_by_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      // Secret part of the reply-to address (ticket+<token>@…): threads the customer's answer back.
      reply_token: { type: DataTypes.STRING(32), allowNull: false },
      first_response_due_at: { type: DataTypes.DATE, allowNull: true },
      resolution_due_at: { type: DataTypes.DATE, allowNull: true },
      first_responded_at: { type: DataTypes.DATE, allowNull: true },
      resolved_at: { type: DataTypes.DATE, allowNull: true },
      closed_at: { type: DataTypes.DATE, allowNull: true },
      // The SLA target ("first_response:<ms>" / "resolution:<ms>") its assignee was last reminded of.
      sla_reminded_for: { type: DataTypes.STRING(40), allowNull: true },
      ...columns.timestamps(),
    },
    options,
  );
  await qi.addIndex("tickets", ["business_id", "number"], {
    unique: true,
    name: "tickets_business_number_unique",
  });
  await qi.addIndex("tickets", ["reply_token"], { unique: true, name: "tickets_reply_token" });
  await qi.addIndex("tickets", ["business_id", "status", "id"], {
    name: "tickets_business_status",
  });
  await qi.addIndex("tickets", ["business_id", "assignee_id", "status"], {
    name: "tickets_business_assignee",
  });
  await qi.addIndex("tickets", ["business_id", "customer_id"], {
    name: "tickets_business_customer",
  });

  await qi.createTable(
    "ticket_messages",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      ticket_id: columns.reference("tickets"),
      // reply (to the customer, e-mailed), note (internal), inbound (the customer's answer)
      kind: { type: DataTypes.STRING(12), allowNull: false },
      author_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      from_email: { type: DataTypes.STRING(191), allowNull: true },
      // The Message-ID of an inbound e-mail: a provider retrying its webhook threads it once.
      external_id: { type: DataTypes.STRING(191), allowNull: true },
      body: { type: DataTypes.TEXT, allowNull: false },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    options,
  );
  await qi.addIndex("ticket_messages", ["business_id", "ticket_id", "id"], {
    name: "ticket_messages_business_ticket",
  });
  await qi.addIndex("ticket_messages", ["ticket_id"], { name: "ticket_messages_ticket" });
  await qi.addIndex("ticket_messages", ["business_id", "external_id"], {
    unique: true,
    name: "ticket_messages_external_unique",
  });

  await qi.createTable(
    "ticket_events",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      ticket_id: columns.reference("tickets"),
      actor_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      kind: { type: DataTypes.STRING(32), allowNull: false },
      details: { type: DataTypes.TEXT, allowNull: true },
      created_at: { type: DataTypes.DATE, allowNull: false },
    },
    options,
  );
  await qi.addIndex("ticket_events", ["business_id", "ticket_id", "id"], {
    name: "ticket_events_business_ticket",
  });
  await qi.addIndex("ticket_events", ["ticket_id"], { name: "ticket_events_ticket" });
};

export const down: Migration = async ({ context: qi }) => {
  for (const table of ["ticket_events", "ticket_messages", "tickets", "ticket_counters"]) {
    await qi.dropTable(table);
  }
};
