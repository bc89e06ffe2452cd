import express from "express";
import { engine } from "express-handlebars";
import mysql, { type RowDataPacket } from "mysql2/promise";
import path from "node:path";
import { latestLeadsSql } from "./salesQuery";

/**
 * The baseline of the sales benchmark: Express 5 + express-handlebars and raw SQL, no middleware.
 * GET / is the leads list's core (the newest 25 leads of a tenant); GET /board is the Kanban's
 * (for each stage of the pipeline, its 25 newest deals and its count). Whatever the app does
 * beyond this is what the benchmark's ratio column measures. Run with NODE_ENV=production.
 *
 * Settings: DATABASE_URL (mysql://…), PORT, BUSINESS_ID, PIPELINE_ID, DATABASE_POOL_MAX (10).
 */

const databaseUrl = process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/crm_bench";
const port = Number(process.env.PORT ?? 3101);
const businessId = Number(process.env.BUSINESS_ID ?? 1);
const pipelineId = Number(process.env.PIPELINE_ID ?? 1);

const pool = mysql.createPool({
  uri: databaseUrl,
  connectionLimit: Number(process.env.DATABASE_POOL_MAX ?? 10),
  charset: "utf8mb4",
  timezone: "Z",
});

const app = express();
const views = path.join(__dirname, "views");
app.engine(
  "hbs",
  engine({ extname: ".hbs", defaultLayout: "main", layoutsDir: path.join(views, "layouts") }),
);
app.set("view engine", "hbs");
app.set("views", views);

app.get("/", async (_req, res) => {
  const [rows] = await pool.query<RowDataPacket[]>(latestLeadsSql, [businessId]);
  res.render("leads", {
    title: "Leads",
    leads: rows.map((row) => ({
      id: row.id,
      name: [row.first_name, row.last_name].filter(Boolean).join(" "),
      company: row.company,
      stage: row.stage,
      score: row.score,
      source: row.source,
    })),
  });
});

app.get("/board", async (_req, res) => {
  const [stages] = await pool.query<RowDataPacket[]>(
    "SELECT id, name FROM pipeline_stages WHERE business_id = ? AND pipeline_id = ? ORDER BY position",
    [businessId, pipelineId],
  );
  const columns = await Promise.all(
    stages.map(async (stage) => {
      const [[deals], [counts]] = await Promise.all([
        pool.query<RowDataPacket[]>(
          "SELECT id, title, amount_minor FROM deals WHERE business_id = ? AND stage_id = ? ORDER BY id DESC LIMIT 25",
          [businessId, stage.id],
        ),
        pool.query<RowDataPacket[]>(
          "SELECT COUNT(*) AS n FROM deals WHERE business_id = ? AND stage_id = ?",
          [businessId, stage.id],
        ),
      ]);
      return {
        name: stage.name,
        count: counts[0]?.n ?? 0,
        deals: deals.map((d) => ({ id: d.id, title: d.title, amount: String(d.amount_minor) })),
      };
    }),
  );
  res.render("board", { title: "Deals", columns });
});

const server = app.listen(port, "127.0.0.1");
process.once("SIGTERM", () => {
  server.close();
  void pool.end();
});
