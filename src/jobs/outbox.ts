import { QueryTypes, type Sequelize } from "sequelize";
import { fromSqlTime, sqlTime } from "../db/sqlTime";
import type { Clock } from "../lib/clock";
import type { Logger } from "../logger";
import { jobCatalog, type JobName } from "./catalog";
import type { RetryPolicy } from "./queue";

/**
 * Jobs the queue could not take (Redis unreachable or too slow to answer), kept in the database
 * until a reconcile pass hands them over. Each keeps the job id chosen before the first attempt, so
 * if that attempt reached Redis after all, handing it over again is ignored: the job runs once.
 */
export interface OutboxEntry {
  name: JobName;
  jobId: string;
  payload: unknown;
  /** When the job should run; null for at once. */
  runAt: Date | null;
  retry?: Partial<RetryPolicy>;
}

interface OutboxRow {
  id: number;
  name: string;
  job_id: string;
  payload: string;
  run_at: unknown;
  options: string | null;
}

export class JobOutbox {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly clock: Clock,
  ) {}

  /** Keeps a job for later; the same job id twice is kept once. */
  async save(entry: OutboxEntry): Promise<void> {
    const { sequelize } = this;
    const ignoreDuplicate =
      sequelize.getDialect() === "mysql"
        ? "ON DUPLICATE KEY UPDATE id = id"
        : "ON CONFLICT (queue, job_id) DO NOTHING";
    await sequelize.query(
      `INSERT INTO job_outbox (queue, name, job_id, payload, run_at, options, created_at)
       VALUES (:queue, :name, :jobId, :payload, :runAt, :options, :now) ${ignoreDuplicate}`,
      {
        type: QueryTypes.INSERT,
        replacements: {
          queue: jobCatalog[entry.name].queue,
          name: entry.name,
          jobId: entry.jobId,
          payload: JSON.stringify(entry.payload ?? null),
          runAt: entry.runAt ? sqlTime(sequelize, entry.runAt) : null,
          options: entry.retry ? JSON.stringify({ retry: entry.retry }) : null,
          now: sqlTime(sequelize, this.clock.now()),
        },
      },
    );
  }

  /**
   * Hands kept jobs to the queue, oldest first, and forgets each once the queue has it. Stops at
   * the first the queue refuses (it is still unreachable: the next pass tries again). Returns how
   * many were handed over.
   */
  async flush(
    send: (entry: OutboxEntry) => Promise<unknown>,
    logger: Logger,
    batchSize = 100,
  ): Promise<number> {
    let moved = 0;
    for (;;) {
      const rows = await this.sequelize.query<OutboxRow>(
        `SELECT id, name, job_id, payload, run_at, options FROM job_outbox ORDER BY id LIMIT :limit`,
        { type: QueryTypes.SELECT, replacements: { limit: batchSize } },
      );
      for (const row of rows) {
        if (row.name in jobCatalog) {
          const options = row.options
            ? (JSON.parse(row.options) as Pick<OutboxEntry, "retry">)
            : {};
          await send({
            name: row.name as JobName,
            jobId: row.job_id,
            payload: JSON.parse(row.payload) as unknown,
            runAt: fromSqlTime(row.run_at),
            retry: options.retry,
          });
          moved++;
        } else {
          // A job this version no longer has: nothing could run it.
          logger.error({ job: row.name, jobId: row.job_id }, "outbox: unknown job dropped");
        }
        await this.sequelize.query(`DELETE FROM job_outbox WHERE id = :id`, {
          type: QueryTypes.DELETE,
          replacements: { id: row.id },
        });
      }
      if (rows.length < batchSize) return moved;
    }
  }

  /** How many jobs are waiting for the queue. */
  async size(): Promise<number> {
    const [row] = await this.sequelize.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM job_outbox`,
      { type: QueryTypes.SELECT },
    );
    return Number(row?.n ?? 0);
  }
}
