import type { Sequelize } from "sequelize";

/**
 * A time as a value for raw SQL, to the millisecond. Sequelize renders a Date replacement on MySQL
 * in whole seconds, so `lease_expires_at < :now` compared seconds with the milliseconds dropped;
 * this text keeps them. On SQLite it is exactly the text Sequelize stores for a date (UTC, "+00:00"),
 * so comparing it with stored dates as text orders them by time. Both connections run in UTC.
 */
export function sqlTime(sequelize: Sequelize, time: Date): string {
  const iso = time.toISOString();
  const text = `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
  return sequelize.getDialect() === "sqlite" ? `${text} +00:00` : text;
}

/** A time read by a raw SELECT: a Date from mysql2, the stored text from SQLite. */
export function fromSqlTime(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  const time = value instanceof Date ? value : new Date(String(value));
  return Number.isNaN(time.getTime()) ? null : time;
}
