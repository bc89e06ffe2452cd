import express from "express";
import { engine } from "express-handlebars";
import mysql, { type RowDataPacket } from "mysql2/promise";
import path from "node:path";
import { latestSql } from "./query";

/**
 * The baseline of the customers benchmark: Express 5 + express-handlebars and one raw 25-row SQL
 * query, no middleware at all. Whatever the app does per request beyond this (sessions, tenancy,
 * CSRF, logging, compression, the filter and count queries, presenters) is what the ratio
 * column of the benchmark measures. Run with NODE_ENV=production (template cache), as the app is.
 *
 * Settings: DATABASE_URL (mysql://…), PORT, BUSINESS_ID, DATABASE_POOL_MAX (10, as the app).
 */

const databaseUrl = process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/crm_bench";
const port = Number(process.env.PORT ?? 3100);
const businessId = Number(process.env.BUSINESS_ID ?? 1);

const pool = mysql.createPool({
  uri: databaseUrl,
  connectionLimit: Number(process.env.DATABASE_POOL_MAX ?? 10),
  charset: "utf8mb4",
  timezone: "Z",
});

interface CustomerRow extends RowDataPacket {
  id: number;
  name: string;
  phone_e164: string;
  email: string | null;
  created_at: Date;
}

const app = express();
const views = path.join(__dirname, "views");
app.engine(
  "hbs",
  engine({ extname: ".hbs", defaultLayout: "main", layoutsDir: path.join(views, "layouts") }),
);
app.set("view engine", "hbs");
app.set("views", views);

app.get("/", async (_req, res) => {
  const [rows] = await pool.query<CustomerRow[]>(latestSql, [businessId]);
  res.render("customers", {
    title: "Customers",
    customers: rows.map((row) => ({
      id: row.id,
      name: row.name,
      phone: row.phone_e164,
      email: row.email,
      created: row.created_at.toISOString().slice(0, 10),
    })),
  });
});

const server = app.listen(port, "127.0.0.1");
process.once("SIGTERM", () => {
  server.close();
  void pool.end();
});
