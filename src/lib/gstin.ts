/**
 * GSTINs (Goods and Services Tax Identification Numbers) and India's GST state codes.
 *
 * A GSTIN is 15 characters: the two-digit state code, the holder's PAN (5 letters, 4 digits, a
 * letter), the entity number within that PAN and state (1-9, A-Z), "Z" by default, and a check
 * character. The check character is a mod-36 sum over the first 14 (each character's value, 0-9
 * then A-Z as 10-35, times 1 and 2 alternately; the product's base-36 digits are added), so a
 * single mistyped character or two swapped neighbours are caught before an invoice carries them.
 */

/** GST state and union-territory codes (the first two digits of a GSTIN). */
export const gstStates: Readonly<Record<string, string>> = {
  "01": "Jammu and Kashmir",
  "02": "Himachal Pradesh",
  "03": "Punjab",
  "04": "Chandigarh",
  "05": "Uttarakhand",
  "06": "Haryana",
  "07": "Delhi",
  "08": "Rajasthan",
  "09": "Uttar Pradesh",
  "10": "Bihar",
  "11": "Sikkim",
  "12": "Arunachal Pradesh",
  "13": "Nagaland",
  "14": "Manipur",
  "15": "Mizoram",
  "16": "Tripura",
  "17": "Meghalaya",
  "18": "Assam",
  "19": "West Bengal",
  "20": "Jharkhand",
  "21": "Odisha",
  "22": "Chhattisgarh",
  "23": "Madhya Pradesh",
  "24": "Gujarat",
  // 25 (Daman and Diu) was merged into 26 in 2020; GSTINs issued under it may still be seen.
  "25": "Daman and Diu",
  "26": "Dadra and Nagar Haveli and Daman and Diu",
  "27": "Maharashtra",
  // 28 is Andhra Pradesh before the 2014 split; GSTINs issued under it may still be seen.
  "28": "Andhra Pradesh (old)",
  "29": "Karnataka",
  "30": "Goa",
  "31": "Lakshadweep",
  "32": "Kerala",
  "33": "Tamil Nadu",
  "34": "Puducherry",
  "35": "Andaman and Nicobar Islands",
  "36": "Telangana",
  "37": "Andhra Pradesh",
  "38": "Ladakh",
  "97": "Other Territory",
};

/** Codes a buyer without a GSTIN may choose as their state (the retired 25 and 28 left out). */
export const selectableStateCodes: readonly string[] = Object.keys(gstStates).filter(
  (code) => code !== "25" && code !== "28",
);

export function isStateCode(code: string): boolean {
  return Object.hasOwn(gstStates, code);
}

/** "29 Karnataka" style label; the code alone when unknown. */
export function stateLabel(code: string): string {
  const name = gstStates[code];
  return name ? `${name} (${code})` : code;
}

const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const shape = /^[0-9]{2}[A-Z]{5}[0-9]{4}[A-Z][1-9A-Z]Z[0-9A-Z]$/;

/** The check character the first 14 characters of a GSTIN call for. */
export function gstinCheckCharacter(first14: string): string {
  let sum = 0;
  for (let i = 0; i < 14; i += 1) {
    const value = alphabet.indexOf(first14[i] ?? "");
    if (value < 0) throw new Error(`gstinCheckCharacter: invalid character in ${first14}`);
    const product = value * (i % 2 === 0 ? 1 : 2);
    sum += Math.floor(product / 36) + (product % 36);
  }
  return alphabet[(36 - (sum % 36)) % 36] as string;
}

/** Upper case without spaces: how a GSTIN is stored and compared. */
export function normalizeGstin(text: string): string {
  return text.replace(/\s+/g, "").toUpperCase();
}

export type GstinProblem = "format" | "state" | "checksum";

/** Why `gstin` (already normalized) is not a valid GSTIN, or null when it is. */
export function gstinProblem(gstin: string): GstinProblem | null {
  if (!shape.test(gstin)) return "format";
  if (!isStateCode(gstin.slice(0, 2))) return "state";
  if (gstinCheckCharacter(gstin.slice(0, 14)) !== gstin[14]) return "checksum";
  return null;
}

export function isValidGstin(gstin: string): boolean {
  return gstinProblem(gstin) === null;
}

/** The state code of a valid GSTIN (its first two digits). */
export function gstinStateCode(gstin: string): string {
  return gstin.slice(0, 2);
}

/** What to tell a person whose GSTIN was refused. */
export const gstinMessages: Record<GstinProblem, string> = {
  format:
    "A GSTIN is 15 characters: 2 digits of the state, the 10-character PAN, the entity number, Z and a check character (e.g. 27AAPFU0939F1ZV).",
  state: "The first two digits of a GSTIN are a state code (01–38 or 97); these are not.",
  checksum:
    "This GSTIN's last character does not match the rest: a character was probably mistyped.",
};
