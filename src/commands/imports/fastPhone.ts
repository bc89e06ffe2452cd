import { Metadata } from "libphonenumber-js";

/**
 * A shortcut for the phone numbers most files hold — plain digits ("9876543210") or "+" and digits
 * ("+919876543210") — giving exactly what toE164() and the national digits of searchColumns()
 * give, at a fraction of the cost (libphonenumber parses each number three ways, ~10 µs each).
 * It answers only when libphonenumber's own rules make the result certain, and null otherwise,
 * so the caller falls back to the library. fastInput.test.ts compares both on many numbers.
 *
 * Certain means: the number's calling code belongs to one country only and that country's
 * metadata validates by one pattern (no per-type patterns); the digits start with neither the
 * country's international (IDD) prefix, nor its national prefix, nor — for national input — its
 * calling code (each makes libphonenumber reinterpret the digits); and they match the national
 * number pattern whole. Then the E.164 form is "+" + calling code + digits.
 */
interface NumberingPlan {
  callingCode(): string;
  IDDPrefix(): string;
  nationalNumberPattern(): string;
  nationalPrefixForParsing(): string | undefined;
  hasTypes(): boolean;
}

interface MetadataApi {
  hasCountry(country: string): boolean;
  selectNumberingPlan(country: string): void;
  numberingPlan: NumberingPlan;
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
  countryCallingCodes(): Record<string, string[]>;
}

interface Rules {
  callingCode: string;
  idd: RegExp;
  nationalPrefix: RegExp | null;
  valid: RegExp;
}

const metadata = new Metadata() as unknown as MetadataApi;
const rulesByCountry = new Map<string, Rules | null>();
const rulesByCallingCode = new Map<string, Rules | null>();

function rulesOf(country: string): Rules | null {
  if (rulesByCountry.has(country)) return rulesByCountry.get(country) ?? null;
  let rules: Rules | null = null;
  if (metadata.hasCountry(country)) {
    metadata.selectNumberingPlan(country);
    const plan = metadata.numberingPlan;
    const callingCode = plan.callingCode();
    const sole = metadata.getCountryCodesForCallingCode(callingCode)?.length === 1;
    if (sole && !plan.hasTypes()) {
      const prefix = plan.nationalPrefixForParsing();
      rules = {
        callingCode,
        idd: new RegExp(`^(?:${plan.IDDPrefix()})`),
        nationalPrefix: prefix ? new RegExp(`^(?:${prefix})`) : null,
        valid: new RegExp(`^(?:${plan.nationalNumberPattern()})$`),
      };
    }
  }
  rulesByCountry.set(country, rules);
  return rules;
}

function rulesOfCallingCode(callingCode: string): Rules | null {
  if (rulesByCallingCode.has(callingCode)) return rulesByCallingCode.get(callingCode) ?? null;
  const countries = metadata.getCountryCodesForCallingCode(callingCode);
  const rules = countries?.length === 1 ? rulesOf(countries[0] as string) : null;
  rulesByCallingCode.set(callingCode, rules);
  return rules;
}

const callingCodes = new Set(Object.keys(metadata.countryCallingCodes()));
const digitsOnly = /^\d{2,17}$/;
const plusDigits = /^\+\d{3,20}$/;

export interface FastPhone {
  e164: string;
  /** The national significant number: searchColumns()'s phoneNational. */
  national: string;
}

function nationalFits(rules: Rules, digits: string): boolean {
  return (
    digits.length >= 2 &&
    digits.length <= 17 &&
    !(rules.nationalPrefix && rules.nationalPrefix.test(digits)) &&
    rules.valid.test(digits)
  );
}

/** The E.164 form and national digits of a trimmed phone string, or null to ask libphonenumber. */
export function fastPhone(text: string, country: string): FastPhone | null {
  if (digitsOnly.test(text)) {
    const rules = rulesOf(country);
    if (!rules || rules.idd.test(text) || text.startsWith(rules.callingCode)) return null;
    return nationalFits(rules, text)
      ? { e164: `+${rules.callingCode}${text}`, national: text }
      : null;
  }
  if (plusDigits.test(text) && text[1] !== "0") {
    // Calling codes are prefix-free: the first 1–3 digits that form one are it.
    for (let length = 1; length <= 3; length++) {
      const code = text.slice(1, 1 + length);
      if (!callingCodes.has(code)) continue;
      const rules = rulesOfCallingCode(code);
      const national = text.slice(1 + length);
      return rules && nationalFits(rules, national) ? { e164: text, national } : null;
    }
  }
  return null;
}
