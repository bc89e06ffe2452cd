import { getCountries } from "libphonenumber-js";

export interface Option {
  value: string;
  label: string;
}

const countryNames = new Intl.DisplayNames(["en"], { type: "region" });
const currencyNames = new Intl.DisplayNames(["en"], { type: "currency" });

/** Countries with phone numbering data, by English name. */
export const countryOptions: Option[] = getCountries()
  .map((code) => ({ value: code, label: countryNames.of(code) ?? code }))
  .sort((a, b) => a.label.localeCompare(b.label));

// ICU lists some zones under their old names; people look for the current ones.
const currentZoneNames: Record<string, string> = {
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Europe/Kiev": "Europe/Kyiv",
};

export const timeZoneOptions: Option[] = ["UTC", ...Intl.supportedValuesOf("timeZone")]
  .map((zone) => currentZoneNames[zone] ?? zone)
  .sort()
  .map((zone) => ({ value: zone, label: zone.replace(/_/g, " ") }));

export const currencyOptions: Option[] = Intl.supportedValuesOf("currency").map((code) => ({
  value: code,
  label: `${code} — ${currencyNames.of(code) ?? code}`,
}));

const known = {
  country: new Set(countryOptions.map((o) => o.value)),
  timeZone: new Set(timeZoneOptions.map((o) => o.value)),
  currency: new Set(currencyOptions.map((o) => o.value)),
};

export const isCountry = (value: string): boolean => known.country.has(value);
/** Any zone the runtime knows, old names included. */
export function isTimeZone(value: string): boolean {
  if (known.timeZone.has(value)) return true;
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return value.length > 0;
  } catch {
    return false;
  }
}
export const isCurrency = (value: string): boolean => known.currency.has(value);

/** Marks the chosen option, for <select> lists in templates. */
export function withSelected(
  options: Option[],
  selected: unknown,
): Array<Option & { selected: boolean }> {
  return options.map((option) => ({ ...option, selected: option.value === selected }));
}
