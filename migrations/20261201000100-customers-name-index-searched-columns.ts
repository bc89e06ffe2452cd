import type { Migration } from "../src/db/migrator";

/**
 * A search that matches many customers ("sharm": 4% of a million) is read by walking the
 * name-ordered index until a page is found (commands/customers/list.ts). With the searched columns
 * in that index, each step checks the name, surname and e-mail prefixes on the index entry itself
 * instead of reading the row. `id` comes right after name_key, so the index still gives the list's
 * (name_key, id) order and serves everything the old (business_id, name_key) index did.
 */
export const up: Migration = async ({ context: qi }) => {
  await qi.removeIndex("customers", "customers_business_name");
  await qi.addIndex("customers", ["business_id", "name_key", "id", "name_tail", "email"], {
    name: "customers_business_name",
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.removeIndex("customers", "customers_business_name");
  await qi.addIndex("customers", ["business_id", "name_key"], { name: "customers_business_name" });
};
