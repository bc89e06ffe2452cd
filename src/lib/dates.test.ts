import {
  addDays,
  celebratedMonthDays,
  localDate,
  parseIsoDate,
  parseLocalDateTime,
  toLocalInput,
  upcomingMonthDays,
  zonedTime,
} from "./dates";

describe("dates in a business's time zone", () => {
  it("finds 09:00 local in zones east and west of UTC, and across a DST change", () => {
    expect(zonedTime("2026-11-22", { hour: 9, minute: 0 }, "Asia/Kolkata").toISOString()).toBe(
      "2026-11-22T03:30:00.000Z",
    );
    expect(zonedTime("2026-11-22", { hour: 9, minute: 0 }, "America/New_York").toISOString()).toBe(
      "2026-11-22T14:00:00.000Z",
    );
    expect(zonedTime("2026-07-01", { hour: 9, minute: 0 }, "America/New_York").toISOString()).toBe(
      "2026-07-01T13:00:00.000Z",
    );
    expect(
      zonedTime("2026-11-22", { hour: 9, minute: 0 }, "Pacific/Kiritimati").toISOString(),
    ).toBe("2026-11-21T19:00:00.000Z");
  });

  it("knows that one instant is a different date in different zones", () => {
    const instant = new Date("2026-11-22T20:00:00Z");
    expect(localDate(instant, "UTC")).toBe("2026-11-22");
    expect(localDate(instant, "Asia/Kolkata")).toBe("2026-11-23");
    expect(localDate(instant, "America/Los_Angeles")).toBe("2026-11-22");
  });

  it("celebrates 29 February on 28 February in other years, and only on 29 in leap years", () => {
    expect(celebratedMonthDays("2027-02-28").sort()).toEqual([228, 229]);
    expect(celebratedMonthDays("2028-02-28")).toEqual([228]);
    expect(celebratedMonthDays("2028-02-29")).toEqual([229]);
    expect(celebratedMonthDays("2027-03-01")).toEqual([301]);
  });

  it("lists upcoming month-days across the year's end", () => {
    expect(upcomingMonthDays("2026-12-30", 3)).toEqual([1230, 1231, 101, 102]);
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
  });

  it("accepts only real dates and local times", () => {
    expect(parseIsoDate("2024-02-29")).toBe("2024-02-29");
    expect(parseIsoDate("2023-02-29")).toBeNull();
    expect(parseIsoDate("2023-13-01")).toBeNull();
    expect(parseIsoDate("29/02/2024")).toBeNull();
    const due = parseLocalDateTime("2026-11-22T10:30", "Asia/Kolkata");
    expect(due?.toISOString()).toBe("2026-11-22T05:00:00.000Z");
    expect(toLocalInput(due!, "Asia/Kolkata")).toBe("2026-11-22T10:30");
    expect(parseLocalDateTime("2026-11-22T25:00", "UTC")).toBeNull();
  });
});
