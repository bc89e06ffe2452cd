import { z } from "zod";
import { isCountry, isCurrency, isTimeZone } from "../../lib/locales";
import { toE164 } from "../../lib/phone";
import { idParams } from "../../http/params";

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `Use at most ${max} characters.` })
    .optional()
    .transform((v) => (v ? v : null));

const phoneMessage = "Enter a valid phone number.";
/** A first, country-free check so a bad number is reported together with the other fields. */
const phoneText = optionalText(40).refine((v) => v === null || /^\+?[\d\s().-]{6,}$/.test(v), {
  error: phoneMessage,
});

/** Business details; phone numbers are read in the business's own country and kept as E.164. */
export const businessSchema = z
  .object({
    name: z.string().trim().min(1, { error: "Enter the business name." }).max(120),
    category: optionalText(64),
    description: optionalText(2000),
    phone: phoneText,
    whatsapp: phoneText,
    country: z.string().trim().toUpperCase().refine(isCountry, { error: "Choose a country." }),
    timeZone: z.string().trim().refine(isTimeZone, { error: "Choose a time zone." }),
    currency: z.string().trim().toUpperCase().refine(isCurrency, { error: "Choose a currency." }),
    // A checkbox: sent as "on" when ticked, absent when not (only the settings page has it).
    wishTasks: z
      .string()
      .optional()
      .transform((v) => v === "on"),
  })
  .transform((value, ctx) => {
    const phones: Record<"phone" | "whatsapp", string | null> = { phone: null, whatsapp: null };
    for (const field of ["phone", "whatsapp"] as const) {
      const raw = value[field];
      if (!raw) continue;
      const e164 = toE164(raw, value.country);
      if (!e164) ctx.addIssue({ code: "custom", path: [field], message: phoneMessage });
      phones[field] = e164;
    }
    // The WhatsApp number is usually the phone; an empty field means exactly that.
    return { ...value, phone: phones.phone, whatsapp: phones.whatsapp ?? phones.phone };
  });

export type BusinessInput = z.infer<typeof businessSchema>;

export const deleteBusinessSchema = z.object({ confirmation: z.string().trim() });

export const businessDefaults = { country: "IN", timeZone: "Asia/Kolkata", currency: "INR" };

export const businessParams = idParams("businessId");
