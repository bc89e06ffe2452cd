import { readFileSync } from "node:fs";
import { toE164 } from "../../lib/phone";
import { customerInputSchema, searchColumns } from "../customers/input";
import { customerColumns } from "../customers/writes";
import { fastCustomer, type RawCustomer } from "./fastInput";
import { fastPhone } from "./fastPhone";
import { sampleCsv } from "../../../test/support/imports";

/**
 * The importer's shortcut must give exactly what the schema gives. Where it answers, its result
 * is compared with customerInputSchema + customerColumns on many generated rows; it may decline
 * (null), never differ.
 */
let seed = 42;
function random(): number {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const digits = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 10)).join("");

function phoneLike(): string {
  return pick([
    () => digits(10),
    () => pick(["6", "7", "8", "9"]) + digits(9),
    () => `91${digits(10)}`,
    () => `0${digits(10)}`,
    () => `00${digits(12)}`,
    () => `+91${digits(10)}`,
    () => `+910${digits(9)}`,
    () =>
      `+${pick(["1", "44", "971", "65", "49", "7", "86", "880", "977", "61"])}${digits(Math.floor(random() * 8) + 6)}`,
    () => digits(Math.floor(random() * 16) + 1),
    () => `${digits(5)} ${digits(5)}`,
    () => `(${digits(3)}) ${digits(3)}-${digits(4)}`,
    () => `+0${digits(9)}`,
    () => ` ${digits(10)} `,
    () => "",
    () => "abc",
  ])();
}

/** Mostly a plausible value (so the shortcut is exercised), sometimes an odd one. */
const mostly = <T>(usual: readonly T[], odd: readonly T[]): T =>
  random() < 0.8 ? pick(usual) : pick(odd);

function rawRow(): RawCustomer {
  const phone = mostly([pick(["6", "7", "8", "9"]) + digits(9), `+91${digits(10)}`], [phoneLike()]);
  return {
    name: mostly(
      ["Asha Verma", "  Ravi  Kumar ", "Éloïse\tMartin", "李 小龙", "X".repeat(200)],
      ["", "Y".repeat(201), null],
    ),
    email: mostly(
      [null, "", "a@b.co", "Ravi.Kumar@Example.COM ", "o'neil@example.com"],
      ["bad@", "x@y", `${"a".repeat(190)}@b.co`, "a..b@c.de", ".a@b.cd"],
    ),
    phone,
    whatsapp: mostly([null, "", phone, `+91${digits(10)}`], [phoneLike()]),
    tags: mostly(
      [null, "", "vip", "VIP, Wholesale ,vip", "a,,b", "x".repeat(64)],
      ["x".repeat(65), Array.from({ length: 51 }, (_, i) => `t${i}`).join(",")],
    ),
    consentAt: mostly(
      [null, "", "2026-08-10", " 2026-08-10 "],
      ["2026-02-30", "2026-08-10T10:00:00Z", "10/08/2026", "1899-12-31", "2026-8-1"],
    ),
    birthDate: mostly([null, "1990-01-01", "1992-02-29"], ["2999-01-01", "1990-02-29"]),
    anniversary: mostly([null, "2015-11-22"], ["2015-13-01", "garbage"]),
  };
}

const countries = ["IN", "IN", "IN", "US", "GB", "AE", "SG", "DE", "NP", "AU"];

describe("the importer's fast path", () => {
  it("gives exactly what the schema gives wherever it answers", () => {
    const today = new Date().toISOString().slice(0, 10);
    let answered = 0;
    for (let i = 0; i < 30_000; i++) {
      const country = pick(countries);
      const raw = rawRow();
      const fast = fastCustomer(raw, country, today, 7);
      if (!fast) continue;
      answered++;
      const parsed = customerInputSchema(country).safeParse({ ...raw, ownerId: 7 });
      expect(parsed.success).toBe(true);
      if (!parsed.success) continue;
      expect({ row: raw, country, result: fast.input }).toEqual({
        row: raw,
        country,
        result: parsed.data,
      });
      expect({ row: raw, country, result: fast.columns }).toEqual({
        row: raw,
        country,
        result: customerColumns(parsed.data),
      });
    }
    // The generator is meant to hit the shortcut often, or this test proves little.
    expect(answered).toBeGreaterThan(1000);
  });

  it("reads phone numbers as libphonenumber does, or declines", () => {
    let answered = 0;
    for (let i = 0; i < 40_000; i++) {
      const country = pick(countries);
      const text = phoneLike().trim();
      const fast = fastPhone(text, country);
      if (!fast) continue;
      answered++;
      expect({ text, country, e164: fast.e164 }).toEqual({
        text,
        country,
        e164: toE164(text, country),
      });
      expect({ text, national: fast.national }).toEqual({
        text,
        national: searchColumns("x", fast.e164).phoneNational,
      });
    }
    expect(answered).toBeGreaterThan(4000);
  });

  it("takes every row of the sample file", () => {
    const lines = readFileSync(sampleCsv, "utf8").trim().split("\n").slice(1);
    const today = new Date().toISOString().slice(0, 10);
    const declined = lines.filter((line) => {
      const [name, phone, email, whatsapp, ...rest] = line.split(",");
      const consentAt = rest.pop() ?? null;
      const tags = rest.join(",").replace(/"/g, "");
      const raw: RawCustomer = {
        name: name ?? null,
        phone: phone ?? null,
        email: email ?? null,
        whatsapp: whatsapp ?? null,
        tags,
        consentAt,
        birthDate: null,
        anniversary: null,
      };
      return fastCustomer(raw, "IN", today, null) === null;
    });
    // Numbers that start with the calling code (91…) are left to libphonenumber.
    expect(declined.length).toBeLessThanOrEqual(5);
  });
});
