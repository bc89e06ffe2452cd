/**
 * The sales baseline's list query: the newest 25 leads of a tenant, by id (what the app's list
 * pages on), an index range on leads_business_* or the primary key.
 */
export const latestLeadsSql =
  "SELECT id, first_name, last_name, company, stage, score, source FROM leads " +
  "WHERE business_id = ? ORDER BY id DESC LIMIT 25";
