/**
 * The baseline's one query: the latest 25 customers of a tenant, an index range on
 * customers_business_created (business_id, created_at, id).
 *
 * Not `ORDER BY id DESC`, although (business_id, id) is indexed (customers_business_id): with two
 * tenants of 1,000,000 and 100,000 rows, MariaDB estimates `business_id = ?` at half the table
 * and walks the primary key backwards instead, through all of business B's newer rows (100,025
 * rows read, 58–86 ms). The baseline must measure the framework, not a scan, so the benchmark
 * also times this query alone before the load and warns when it is not cheap.
 */
export const latestSql =
  "SELECT id, name, phone_e164, email, created_at FROM customers WHERE business_id = ? " +
  "ORDER BY created_at DESC, id DESC LIMIT 25";
