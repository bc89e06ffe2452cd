import { workerMysqlUrl } from "./workerDatabase";

// Every test process: quiet logs and a fixed secret unless the run says otherwise.
process.env.NODE_ENV = "test";
process.env.LOG_LEVEL ??= "silent";

// On MySQL each jest worker uses its own database (globalSetup migrated one per worker).
if (/^(mysql|mariadb):/.test(process.env.DATABASE_URL ?? "")) {
  process.env.CRM_MYSQL_BASE_URL ??= process.env.DATABASE_URL;
  process.env.DATABASE_URL = workerMysqlUrl(
    process.env.CRM_MYSQL_BASE_URL as string,
    process.env.JEST_WORKER_ID ?? "1",
  );
}
