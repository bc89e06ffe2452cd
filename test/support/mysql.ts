import mysql from "mysql2/promise";

/** Connects to the server of a mysql:// URL without selecting its database. */
export async function mysqlServer(
  url: string,
): Promise<{ connection: mysql.Connection; database: string }> {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ""));
  const connection = await mysql.createConnection({
    host: parsed.hostname,
    port: Number(parsed.port || 3306),
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  });
  return { connection, database };
}

export async function ensureMysqlDatabase(url: string): Promise<void> {
  const { connection, database } = await mysqlServer(url);
  await connection.query(
    `CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
  await connection.end();
}

/** A throw-away database beside the configured one, e.g. for migrating down and up. */
export async function withScratchMysqlDatabase<T>(
  url: string,
  use: (scratchUrl: string) => Promise<T>,
): Promise<T> {
  const { connection, database } = await mysqlServer(url);
  const scratch = `${database}_scratch_${process.pid}`;
  await connection.query(`DROP DATABASE IF EXISTS \`${scratch}\``);
  await connection.query(
    `CREATE DATABASE \`${scratch}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  );
  try {
    const scratchUrl = new URL(url);
    scratchUrl.pathname = `/${scratch}`;
    return await use(scratchUrl.toString());
  } finally {
    await connection.query(`DROP DATABASE IF EXISTS \`${scratch}\``);
    await connection.end();
  }
}
