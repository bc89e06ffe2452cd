import { parsePhoneNumberFromString } from "libphonenumber-js";
import { z } from "zod";
import { parseIsoDate } from "../../lib/dates";
import { parseRecordId } from "../../lib/ids";
import { phoneDigits, toE164 } from "../../lib/phone";

/**
 * What a customer is made of, checked once for the form, the API and the importer. Phones are
 * read with the business's country as default and kept in E.164; every field's problem is
 * reported together, not only the first.
 */
export interface CustomerInput {
  name: string;
  email: string | null;
  phoneE164: string;
  whatsappE164: string;
  tags: string[];
  consentAt: Date | null;
  birthDate: string | null;
  anniversary: string | null;
  ownerId: number | null;
}

export const maxTagsPerCustomer = 50;
const maxTagLength = 64;

/** "VIP,  Wholesale , vip" → ["vip", "wholesale"]: trimmed, lower-case, single-spaced, unique. */
export function normaliseTags(input: unknown): string[] {
  const raw = Array.isArray(input) ? input.map(String) : typeof input === "string" ? [input] : [];
  const names = raw
    .flatMap((value) => value.split(","))
    .map((name) => name.trim().toLowerCase().replace(/\s+/g, " "))
    .filter((name) => name.length > 0);
  return [...new Set(names)];
}

const optionalString = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((v) => {
    const text = typeof v === "number" ? String(v) : v;
    return typeof text === "string" && text.trim() ? text.trim() : null;
  });

const optionalDate = (label: string) =>
  optionalString.transform((value, ctx) => {
    if (value === null) return null;
    const date = parseIsoDate(value.slice(0, 10));
    if (!date || (value.length > 10 && Number.isNaN(Date.parse(value)))) {
      ctx.addIssue({ code: "custom", message: `Enter ${label} as YYYY-MM-DD.` });
      return z.NEVER;
    }
    return date;
  });

const emailCheck = z.email();

export function customerInputSchema(country: string) {
  return z
    .object({
      name: z
        .string({ error: "Enter the customer's name." })
        .trim()
        .min(1, { error: "Enter the customer's name." })
        .max(200, { error: "Use at most 200 characters for the name." }),
      email: optionalString.transform((value, ctx) => {
        if (value === null) return null;
        const email = value.toLowerCase();
        if (email.length > 191 || !emailCheck.safeParse(email).success) {
          ctx.addIssue({ code: "custom", message: "Enter a valid e-mail address." });
          return z.NEVER;
        }
        return email;
      }),
      phone: optionalString.transform((value, ctx) => {
        const e164 = value ? toE164(value, country) : null;
        if (!e164)
          ctx.addIssue({
            code: "custom",
            message: value ? "Enter a valid phone number." : "Enter the phone number.",
          });
        return e164 ?? "";
      }),
      whatsapp: optionalString.transform((value, ctx) => {
        if (!value) return null;
        const e164 = toE164(value, country);
        if (!e164) ctx.addIssue({ code: "custom", message: "Enter a valid WhatsApp number." });
        return e164;
      }),
      tags: z
        .union([z.string(), z.array(z.string()), z.null()])
        .optional()
        .transform((value, ctx) => {
          const tags = normaliseTags(value);
          if (tags.some((t) => t.length > maxTagLength))
            ctx.addIssue({
              code: "custom",
              message: `Keep each tag under ${maxTagLength} characters.`,
            });
          if (tags.length > maxTagsPerCustomer)
            ctx.addIssue({ code: "custom", message: `Use at most ${maxTagsPerCustomer} tags.` });
          return tags;
        }),
      consentAt: optionalDate("the consent date"),
      birthDate: optionalDate("the date of birth").refine(
        (date) => date === null || date <= new Date().toISOString().slice(0, 10),
        { error: "The date of birth is in the future." },
      ),
      anniversary: optionalDate("the anniversary"),
      ownerId: z
        .union([z.string(), z.number(), z.null()])
        .optional()
        .transform((v, ctx) => {
          if (v === null || v === undefined || v === "") return null;
          const id = parseRecordId(v);
          if (id === null) {
            ctx.addIssue({ code: "custom", message: "Choose a team member." });
            return z.NEVER;
          }
          return id;
        }),
    })
    .transform((value): CustomerInput => {
      return {
        name: value.name,
        email: value.email,
        phoneE164: value.phone,
        whatsappE164: value.whatsapp ?? value.phone,
        tags: value.tags,
        consentAt: value.consentAt ? new Date(`${value.consentAt}T00:00:00Z`) : null,
        birthDate: value.birthDate,
        anniversary: value.anniversary,
        ownerId: value.ownerId,
      };
    });
}

/** The columns derived for search; written by the commands alongside the fields they come from. */
export function searchColumns(name: string, phoneE164: string) {
  const nameKey = name.trim().toLowerCase().replace(/\s+/g, " ");
  const space = nameKey.indexOf(" ");
  const digits = phoneDigits(phoneE164);
  return {
    nameKey,
    nameTail: space < 0 ? "" : nameKey.slice(space + 1),
    phoneNational: nationalDigits(phoneE164),
    phoneReversed: [...digits].reverse().join(""),
  };
}

/** "+919876543210" → "9876543210": what people type when they leave out the country code. */
function nationalDigits(e164: string): string {
  return parsePhoneNumberFromString(e164)?.nationalNumber ?? phoneDigits(e164);
}
