import { addDays } from "../../lib/dates";

/**
 * The templates library: Indian and international occasions, each with a ready text, a default
 * picture made for this project (public/images/occasions/<code>.jpg, 1080 × 1080) and its date in
 * each year the catalogue covers. A catalogue in code, not a table: it is the same for every
 * business and changes with releases. Lunar festivals move every year: their dates are listed per
 * year (Indian government holiday lists and panchang tables; Eid depends on the moon's sighting and
 * may fall a day later locally).
 */
export interface Occasion {
  code: string;
  name: string;
  region: "India" | "International";
  text: string;
  /** YYYY-MM-DD by year. */
  dates: Readonly<Record<number, string>>;
}

export const occasionYears = [2026, 2027, 2028] as const;

const fixed = (monthDay: string): Record<number, string> =>
  Object.fromEntries(occasionYears.map((year) => [year, `${year}-${monthDay}`]));

export const occasions: readonly Occasion[] = [
  {
    code: "new-year",
    name: "New Year",
    region: "International",
    text: "Happy New Year! Thank you for being with us this year — here's to a bright year ahead. 🎉",
    dates: fixed("01-01"),
  },
  {
    code: "pongal",
    name: "Pongal / Makar Sankranti",
    region: "India",
    text: "Wishing you a joyful Pongal and Makar Sankranti — may the harvest bring you prosperity! 🌾",
    dates: { 2026: "2026-01-14", 2027: "2027-01-15", 2028: "2028-01-15" },
  },
  {
    code: "republic-day",
    name: "Republic Day",
    region: "India",
    text: "Happy Republic Day! Celebrating the Constitution and the spirit of India. 🇮🇳",
    dates: fixed("01-26"),
  },
  {
    code: "valentines-day",
    name: "Valentine's Day",
    region: "International",
    text: "Happy Valentine's Day! Share the love with the people who matter. ❤️",
    dates: fixed("02-14"),
  },
  {
    code: "womens-day",
    name: "International Women's Day",
    region: "International",
    text: "Happy International Women's Day to the women who lead, build and inspire. 💜",
    dates: fixed("03-08"),
  },
  {
    code: "holi",
    name: "Holi",
    region: "India",
    text: "Happy Holi! May your days be as bright and colourful as the festival. 🌈",
    dates: { 2026: "2026-03-04", 2027: "2027-03-22", 2028: "2028-03-11" },
  },
  {
    code: "eid-al-fitr",
    name: "Eid al-Fitr",
    region: "International",
    text: "Eid Mubarak! Wishing you and your family peace, joy and blessings. 🌙",
    dates: { 2026: "2026-03-20", 2027: "2027-03-10", 2028: "2028-02-27" },
  },
  {
    code: "eid-al-adha",
    name: "Eid al-Adha",
    region: "International",
    text: "Eid al-Adha Mubarak! May this Eid bring happiness and togetherness to your home. 🌙",
    dates: { 2026: "2026-05-27", 2027: "2027-05-16", 2028: "2028-05-05" },
  },
  {
    code: "mothers-day",
    name: "Mother's Day",
    region: "International",
    text: "Happy Mother's Day to every mother — thank you for everything. 💐",
    dates: { 2026: "2026-05-10", 2027: "2027-05-09", 2028: "2028-05-14" },
  },
  {
    code: "independence-day",
    name: "Independence Day",
    region: "India",
    text: "Happy Independence Day! Proud to build, serve and grow in India. 🇮🇳",
    dates: fixed("08-15"),
  },
  {
    code: "raksha-bandhan",
    name: "Raksha Bandhan",
    region: "India",
    text: "Happy Raksha Bandhan! Celebrating the bond of love and protection. 🪢",
    dates: { 2026: "2026-08-28", 2027: "2027-08-17", 2028: "2028-08-05" },
  },
  {
    code: "onam",
    name: "Onam",
    region: "India",
    text: "Happy Onam! Wishing you a bountiful harvest and a grand Onasadya. 🌼",
    dates: { 2026: "2026-08-26", 2027: "2027-09-12", 2028: "2028-09-01" },
  },
  {
    code: "ganesh-chaturthi",
    name: "Ganesh Chaturthi",
    region: "India",
    text: "Happy Ganesh Chaturthi! May Lord Ganesha remove every obstacle from your path. 🙏",
    dates: { 2026: "2026-09-14", 2027: "2027-09-04", 2028: "2028-08-23" },
  },
  {
    code: "teachers-day",
    name: "Teachers' Day",
    region: "India",
    text: "Happy Teachers' Day! Thank you to every teacher who shaped us. 📚",
    dates: fixed("09-05"),
  },
  {
    code: "gandhi-jayanti",
    name: "Gandhi Jayanti",
    region: "India",
    text: "Remembering Mahatma Gandhi on Gandhi Jayanti: be the change you wish to see. 🕊️",
    dates: fixed("10-02"),
  },
  {
    code: "navratri",
    name: "Navratri",
    region: "India",
    text: "Happy Navratri! Nine nights of devotion, dance and celebration. 🪔",
    dates: { 2026: "2026-10-11", 2027: "2027-09-30", 2028: "2028-09-19" },
  },
  {
    code: "dussehra",
    name: "Dussehra",
    region: "India",
    text: "Happy Dussehra! May good always win over evil. 🏹",
    dates: { 2026: "2026-10-20", 2027: "2027-10-09", 2028: "2028-09-27" },
  },
  {
    code: "diwali",
    name: "Diwali",
    region: "India",
    text: "Happy Diwali! May the festival of lights fill your home with joy and prosperity. 🪔✨",
    dates: { 2026: "2026-11-08", 2027: "2027-10-29", 2028: "2028-10-17" },
  },
  {
    code: "childrens-day",
    name: "Children's Day",
    region: "India",
    text: "Happy Children's Day! Here's to curiosity, play and big dreams. 🎈",
    dates: fixed("11-14"),
  },
  {
    code: "black-friday",
    name: "Black Friday",
    region: "International",
    text: "Black Friday is here! Our best offers of the year — for a limited time only. 🛍️",
    dates: { 2026: "2026-11-27", 2027: "2027-11-26", 2028: "2028-11-24" },
  },
  {
    code: "cyber-monday",
    name: "Cyber Monday",
    region: "International",
    text: "Cyber Monday deals are live! Shop online before they're gone. 💻",
    dates: { 2026: "2026-11-30", 2027: "2027-11-29", 2028: "2028-11-27" },
  },
  {
    code: "christmas",
    name: "Christmas",
    region: "International",
    text: "Merry Christmas! Wishing you warmth, joy and time with the people you love. 🎄",
    dates: fixed("12-25"),
  },
];

const byCode = new Map(occasions.map((o) => [o.code, o]));

export function occasionByCode(code: string | null | undefined): Occasion | null {
  return code ? (byCode.get(code) ?? null) : null;
}

/** The picture every occasion comes with, as the browser requests it. */
export const occasionImageUrl = (code: string): string => `/images/occasions/${code}.jpg`;

export interface DatedOccasion {
  occasion: Occasion;
  date: string;
}

/** Occasions falling from `from` through `to` (YYYY-MM-DD, inclusive), by date. */
export function occasionsBetween(from: string, to: string): DatedOccasion[] {
  const list: DatedOccasion[] = [];
  for (const occasion of occasions)
    for (const date of Object.values(occasion.dates))
      if (date >= from && date <= to) list.push({ occasion, date });
  return list.sort(
    (a, b) => a.date.localeCompare(b.date) || a.occasion.name.localeCompare(b.occasion.name),
  );
}

/** The occasions of the next `days` days from `today` (suggested on the calendar). */
export function upcomingOccasions(today: string, days = 45): DatedOccasion[] {
  return occasionsBetween(today, addDays(today, days));
}

/** An occasion's next date on or after `today`, or null past the catalogue's years. */
export function nextDateOf(occasion: Occasion, today: string): string | null {
  return (
    Object.values(occasion.dates)
      .filter((d) => d >= today)
      .sort()[0] ?? null
  );
}
