import { performance } from "node:perf_hooks";
import { customerRowColumns } from "../../src/commands/customers/writes";
import type { Connection } from "mysql2/promise";
import { searchColumns } from "../../src/commands/customers/input";
import { monthDay } from "../../src/lib/dates";
import { toE164 } from "../../src/lib/phone";
import {
  devanagariNames,
  emailDomains,
  indianFirstNames,
  indianLastNames,
  internationalFirstNames,
  internationalLastNames,
  tagPool,
  type Weighted,
} from "./names";

/**
 * Generates and inserts the customers of one business with raw multi-row INSERTs (1,000 rows a
 * statement, 10 statements a transaction), the way the app itself would store them: the search
 * columns come from searchColumns() and the month-days from monthDay(), so the list, search and
 * filter queries meet exactly the data the app writes.
 */

export const batchSize = 1000;
const batchesPerTransaction = 10;

/** Small deterministic PRNG (mulberry32): the same seed gives the same customers on every run. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks from a weighted list with one random number (cumulative table, binary search). */
function picker(list: Weighted): (r: number) => string {
  const names = list.map(([name]) => name);
  const cumulative: number[] = [];
  let sum = 0;
  for (const [, weight] of list) cumulative.push((sum += weight));
  return (r) => {
    const target = r * sum;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((cumulative[mid] as number) > target) hi = mid;
      else lo = mid + 1;
    }
    return names[lo] as string;
  };
}

const indianFirst = picker(indianFirstNames);
const indianLast = picker(indianLastNames);
const foreignFirst = picker(internationalFirstNames);
const foreignLast = picker(internationalLastNames);
const emailDomain = picker(emailDomains);

/**
 * Phone numbers by country: a prefix and a space of national numbers. Each customer's number is
 * a bijection (k * a + c mod size, a prime to size) of a per-country counter, so numbers look
 * random and never repeat within a business.
 */
interface PhonePlan {
  country: string;
  share: number;
  prefix: string;
  /** Digits after the prefix, and the smallest value they may take. */
  digits: number;
  min: number;
  size: number;
}

const phonePlans: PhonePlan[] = [
  // Indian mobiles +91 9xxxxxxxxx (the business's home country).
  { country: "IN", share: 0.88, prefix: "+919", digits: 9, min: 0, size: 1e9 },
  // UAE mobiles +971 50 xxx xxxx.
  { country: "AE", share: 0.05, prefix: "+97150", digits: 7, min: 0, size: 1e7 },
  // UK mobiles +44 77xx xxxxxx.
  { country: "GB", share: 0.04, prefix: "+4477", digits: 8, min: 0, size: 1e8 },
  // US numbers +1 415 NXX XXXX (exchange 200–999).
  { country: "US", share: 0.03, prefix: "+1415", digits: 7, min: 2_000_000, size: 8_000_000 },
];
const multiplier = 387_420_489; // 3^18: prime to 2 and 5, so a bijection on every size above.

function phoneFor(plan: PhonePlan, k: number, salt: number): string {
  // Exact in doubles while k * multiplier stays under 2^53 (k below 23 million).
  const scrambled = (k * multiplier + salt) % plan.size;
  return plan.prefix + String(plan.min + scrambled).padStart(plan.digits, "0");
}

/** "José" → "jose", for e-mail local parts. */
function ascii(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z]/g, "");
}

const pad = (n: number) => String(n).padStart(2, "0");

/** MySQL DATETIME text in UTC, as Sequelize stores dates (timezone +00:00). */
function sqlDateTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

function randomDate(rand: () => number, fromYear: number, toYear: number): string {
  const year = fromYear + Math.floor(rand() * (toYear - fromYear + 1));
  const month = 1 + Math.floor(rand() * 12);
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const day = 1 + Math.floor(rand() * days);
  return `${year}-${pad(month)}-${pad(day)}`;
}

export const customerColumnNames = ["id", "business_id", "owner_id", ...customerRowColumns];

type Row = Array<string | number | null>;

export interface SeedTarget {
  businessId: number;
  ownerId: number;
  count: number;
  /** Tag name → id, for this business (created before the customers). */
  tagIds: Map<string, number>;
  /** Different per business so the two do not hold the same people. */
  seed: number;
}

export interface SeedStats {
  customers: number;
  tagRows: number;
  ms: number;
  /** Time spent building rows in JavaScript (overlapped with the inserts). */
  generateMs: number;
}

/** Builds customers [from, to) of one business: the customer rows and their customer_tags rows. */
export class CustomerGenerator {
  private readonly rand: () => number;
  private readonly counters = new Map<string, number>();
  private readonly startMs: number;
  private readonly spanMs: number;
  private readonly tags: Array<[number, number]>;

  constructor(
    private readonly target: SeedTarget,
    private readonly firstId: number,
    nowMs: number,
  ) {
    this.rand = prng(target.seed);
    // Customers arrive over three years, in id order (as a live business's list grows).
    this.spanMs = 3 * 365 * 24 * 3600 * 1000;
    this.startMs = nowMs - this.spanMs;
    this.tags = tagPool.map(([name, share]) => {
      const id = target.tagIds.get(name);
      if (id === undefined) throw new Error(`Tag ${name} was not created`);
      return [id, share];
    });
    for (const plan of phonePlans) {
      const sample = phoneFor(plan, 12345, target.seed);
      if (toE164(sample, "IN") !== sample)
        throw new Error(`Seed phone plan ${plan.country} makes invalid numbers (${sample})`);
    }
  }

  private name(): { name: string; first: string; last: string } {
    const r = this.rand();
    if (r < 0.01) {
      const name = devanagariNames[Math.floor(this.rand() * devanagariNames.length)] as string;
      return { name, first: "", last: "" };
    }
    const indian = r < 0.86;
    const first = indian ? indianFirst(this.rand()) : foreignFirst(this.rand());
    const shape = this.rand();
    if (shape < 0.02) return { name: first, first, last: "" };
    const last = indian ? indianLast(this.rand()) : foreignLast(this.rand());
    if (shape < 0.1) {
      // A middle name ("Mohammed Arif Khan") or an initial ("Suresh K. Rao").
      const middle =
        this.rand() < 0.5
          ? indianFirst(this.rand())
          : `${"ABCDEGKMNPRSTV"[Math.floor(this.rand() * 14)]}.`;
      return { name: `${first} ${middle} ${last}`, first, last };
    }
    return { name: `${first} ${last}`, first, last };
  }

  private phone(): string {
    let r = this.rand();
    let plan = phonePlans[0] as PhonePlan;
    for (const candidate of phonePlans) {
      plan = candidate;
      if (r < candidate.share) break;
      r -= candidate.share;
    }
    const k = this.counters.get(plan.country) ?? 0;
    this.counters.set(plan.country, k + 1);
    return phoneFor(plan, k, this.target.seed);
  }

  /** Rows for customers with index [from, to) in this business. */
  batch(from: number, to: number): { customers: Row[]; tags: Row[] } {
    const customers: Row[] = [];
    const tags: Row[] = [];
    const { businessId, ownerId, count } = this.target;
    for (let i = from; i < to; i++) {
      const id = this.firstId + i;
      const { name, first, last } = this.name();
      const phone = this.phone();
      const search = searchColumns(name, phone);
      let email: string | null = null;
      if (first && this.rand() < 0.4) {
        const local = [ascii(first), ascii(last)]
          .filter(Boolean)
          .join(this.rand() < 0.7 ? "." : "");
        const number = this.rand() < 0.6 ? String(Math.floor(this.rand() * 1000)) : "";
        email = `${local}${number}@${emailDomain(this.rand())}`;
      }
      const birthDate = this.rand() < 0.3 ? randomDate(this.rand, 1950, 2006) : null;
      const anniversary = this.rand() < 0.12 ? randomDate(this.rand, 1980, 2025) : null;
      const createdMs = this.startMs + Math.floor(((i + this.rand()) / count) * this.spanMs);
      const updatedMs =
        this.rand() < 0.3
          ? createdMs + Math.floor(this.rand() * (this.startMs + this.spanMs - createdMs))
          : createdMs;
      const consentAt = this.rand() < 0.5 ? sqlDateTime(createdMs) : null;
      customers.push([
        id,
        businessId,
        ownerId,
        name,
        search.nameKey,
        search.nameTail,
        email,
        phone,
        search.phoneNational,
        search.phoneReversed,
        phone,
        consentAt,
        birthDate,
        anniversary,
        birthDate ? monthDay(birthDate) : null,
        anniversary ? monthDay(anniversary) : null,
        sqlDateTime(createdMs),
        sqlDateTime(updatedMs),
      ]);
      let given = 0;
      for (const [tagId, share] of this.tags) {
        if (given < 3 && this.rand() < share) {
          tags.push([id, tagId, businessId]);
          given++;
        }
      }
    }
    return { customers, tags };
  }
}

const insertCustomers = `INSERT INTO customers (${customerColumnNames.join(", ")}) VALUES ?`;
const insertTags = "INSERT INTO customer_tags (customer_id, tag_id, business_id) VALUES ?";

/**
 * Inserts `target.count` customers with ids from `firstId`, generating the next batch while the
 * database works on the previous one.
 */
export async function seedCustomers(
  connection: Connection,
  target: SeedTarget,
  firstId: number,
  onProgress: (done: number) => void,
): Promise<SeedStats> {
  const generator = new CustomerGenerator(target, firstId, Date.now());
  const started = performance.now();
  let generateMs = 0;
  let tagRows = 0;
  const make = (from: number) => {
    const t0 = performance.now();
    const rows = generator.batch(from, Math.min(from + batchSize, target.count));
    generateMs += performance.now() - t0;
    return rows;
  };
  let next = target.count > 0 ? make(0) : null;
  let done = 0;
  let inTransaction = 0;
  while (next) {
    const current = next;
    if (inTransaction === 0) await connection.beginTransaction();
    const writing = (async () => {
      await connection.query(insertCustomers, [current.customers]);
      if (current.tags.length) await connection.query(insertTags, [current.tags]);
    })();
    done += current.customers.length;
    tagRows += current.tags.length;
    next = done < target.count ? make(done) : null;
    await writing;
    inTransaction++;
    if (inTransaction === batchesPerTransaction || !next) {
      await connection.commit();
      inTransaction = 0;
      onProgress(done);
    }
  }
  return { customers: done, tagRows, ms: performance.now() - started, generateMs };
}
