import { z } from "zod";
import { monthDay, parseIsoDate } from "../../lib/dates";
import { maxTagsPerCustomer, normaliseTags, type CustomerInput } from "../customers/input";
import type { customerColumns } from "../customers/writes";
import { fastPhone } from "./fastPhone";

/**
 * The importer's shortcut past customerInputSchema + customerColumns for the clean rows that make
 * up almost every file. The schema (zod, and libphonenumber three times a row) costs ~65 µs a row,
 * which alone would cap an import near 15,000 rows/s; this costs a few. It returns null whenever
 * a row is not plainly valid or has an unusual form, and the caller then runs the schema, which
 * also words every error. fastInput.test.ts checks both give identical results.
 */
export interface RawCustomer {
  name: string | null;
  email: string | null;
  phone: string | null;
  whatsapp: string | null;
  tags: string | null;
  consentAt: string | null;
  birthDate: string | null;
  anniversary: string | null;
}

export type CustomerColumns = ReturnType<typeof customerColumns>;

export interface PreparedCustomer {
  input: CustomerInput;
  columns: CustomerColumns;
}

/** Longest tag the schema accepts; fastInput.test.ts proves the two agree. */
const maxTagLength = 64;
const emailPattern = z.regexes.email;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;

function text(value: string | null): string | null {
  if (value === null) return null;
  const trimmed = value.trim();
  return trimmed ? trimmed : null;
}

/** undefined: not certain (ask the schema); null: empty. */
function date(value: string | null): string | null | undefined {
  const t = text(value);
  if (t === null) return null;
  if (!isoDate.test(t)) return undefined;
  return parseIsoDate(t) ?? undefined;
}

/** The row as the schema would give it, or null when only the schema can tell. */
export function fastCustomer(
  raw: RawCustomer,
  country: string,
  today: string,
  ownerId: number | null,
): PreparedCustomer | null {
  const name = text(raw.name);
  if (name === null || name.length > 200) return null;

  let email = text(raw.email);
  if (email !== null) {
    email = email.toLowerCase();
    if (email.length > 191 || !emailPattern.test(email)) return null;
  }

  const phoneText = text(raw.phone);
  const phone = phoneText === null ? null : fastPhone(phoneText, country);
  if (!phone) return null;
  const whatsappText = text(raw.whatsapp);
  let whatsappE164 = phone.e164;
  if (whatsappText !== null && whatsappText !== phoneText) {
    const whatsapp = fastPhone(whatsappText, country);
    if (!whatsapp) return null;
    whatsappE164 = whatsapp.e164;
  }

  const tags = normaliseTags(raw.tags ?? undefined);
  if (tags.length > maxTagsPerCustomer || tags.some((t) => t.length > maxTagLength)) return null;

  const consentAt = date(raw.consentAt);
  const birthDate = date(raw.birthDate);
  const anniversary = date(raw.anniversary);
  if (consentAt === undefined || birthDate === undefined || anniversary === undefined) return null;
  if (birthDate !== null && birthDate > today) return null;

  const input: CustomerInput = {
    name,
    email,
    phoneE164: phone.e164,
    whatsappE164,
    tags,
    consentAt: consentAt ? new Date(`${consentAt}T00:00:00Z`) : null,
    birthDate,
    anniversary,
    ownerId,
  };
  const nameKey = name.toLowerCase().replace(/\s+/g, " ");
  const space = nameKey.indexOf(" ");
  let reversed = "";
  for (let i = phone.e164.length - 1; i > 0; i--) reversed += phone.e164[i];
  const columns: CustomerColumns = {
    name,
    email,
    phoneE164: phone.e164,
    whatsappE164,
    consentAt: input.consentAt,
    birthDate,
    anniversary,
    birthdayMd: birthDate ? monthDay(birthDate) : null,
    anniversaryMd: anniversary ? monthDay(anniversary) : null,
    nameKey,
    nameTail: space < 0 ? "" : nameKey.slice(space + 1),
    phoneNational: phone.national,
    phoneReversed: reversed,
  };
  return { input, columns };
}
