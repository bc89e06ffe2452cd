import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";

/**
 * A phone number as E.164 (+919876543210), read with the business's country as the default, so a
 * local "98765 43210" and an international "+44 20 7946 0958" both work. Null when not valid.
 */
export function toE164(input: string, defaultCountry: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

/** Digits only, for search: "+91 98765-43210" → "919876543210". */
export function phoneDigits(input: string): string {
  return input.replace(/\D/g, "");
}

/** For display: national format at home, international abroad. */
export function formatPhone(e164: string, homeCountry: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === homeCountry ? parsed.formatNational() : parsed.formatInternational();
}
