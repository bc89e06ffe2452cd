import { z } from "zod";

/** A record id in a path: digits only, so "/customers/new" or "export.csv" is never one. */
export const recordId = z
  .string()
  .regex(/^[1-9]\d{0,14}$/)
  .transform(Number);

/** The schema of a path whose parameters are all record ids, e.g. idParams("customerId"). */
export function idParams<K extends string>(...names: K[]): z.ZodObject<Record<K, typeof recordId>> {
  const shape = Object.fromEntries(names.map((name) => [name, recordId])) as Record<
    K,
    typeof recordId
  >;
  return z.object(shape);
}
