import express from "express";
import mysql from "mysql2/promise";

/**
 * The baseline of the forms benchmark: a bare Express 5 POST that reads a urlencoded body and
 * inserts one row through a mysql2 pool of 10 (the app's pool size), no middleware beyond the
 * body parser. Whatever the app does per submission beyond this (the route chain, the form's
 * lookup, anti-spam, validation, the tenant context, the lead with its timeline and duplicate
 * checks, the submission, the counter, the notification) is what the ratio measures.
 *
 * Settings: DATABASE_URL (mysql://…), PORT.
 */
const pool = mysql.createPool({
  uri: process.env.DATABASE_URL ?? "mysql://root@127.0.0.1:3306/crm_bench_forms",
  connectionLimit: 10,
  charset: "utf8mb4",
  timezone: "Z",
});

const app = express();
app.use(express.urlencoded({ extended: false, limit: "1mb" }));
app.get("/ready", (_req, res) => {
  res.send("ok");
});
app.post("/submit", async (req, res) => {
  const body = (req.body ?? {}) as Record<string, unknown>;
  await pool.execute(
    "INSERT INTO bench_form_rows (business_id, email, answers, created_at) VALUES (?, ?, ?, ?)",
    [1, String(body.f2 ?? ""), JSON.stringify(body), new Date()],
  );
  res.status(200).send("Thank you!");
});
app.listen(Number(process.env.PORT ?? 3200), "127.0.0.1");
