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

/**
 * For display, one rule for every number wherever it is shown (lists, pages, forms, e-mails):
 * international grouping, "+91 96848 84548". Never the national form with its trunk prefix
 * ("096848 84548"), which reads as a different number and dials only from inside the country;
 * one shape also keeps a business's own and foreign customers alike in a list, and is what the
 * search box, WhatsApp and a phone's dialer take as typed.
 */
export function formatPhone(e164: string): string {
  const parsed = parsePhoneNumberFromString(e164);
  return parsed ? parsed.formatInternational() : e164;
}

const rememberedPhones = 20_000;
const displayPhones = new Map<string, string>();

/**
 * formatPhone, remembered per number, for lists: libphonenumber takes ~20 µs a number, a page
 * shows 25–100 of them, and the same pages are listed again and again. The result depends on
 * nothing else, so it can never be stale.
 */
export function displayPhone(e164: string): string {
  let shown = displayPhones.get(e164);
  if (shown === undefined) {
    if (displayPhones.size >= rememberedPhones) displayPhones.clear();
    shown = formatPhone(e164);
    displayPhones.set(e164, shown);
  }
  return shown;
}
