import { PhoneSet } from "./phoneSet";

describe("the set of phone numbers seen in a file", () => {
  it("remembers the first row of each number, through growth", () => {
    const seen = new PhoneSet(10);
    const number = (i: number) => `+91${7_000_000_000 + i * 13}`;
    for (let i = 0; i < 50_000; i++) expect(seen.addOrGet(number(i), i + 2)).toBe(0);
    for (let i = 0; i < 50_000; i += 997) expect(seen.addOrGet(number(i), 99)).toBe(i + 2);
    expect(seen.addOrGet("+442079460958", 7)).toBe(0);
    expect(seen.addOrGet("+442079460958", 8)).toBe(7);
    expect(seen.size).toBe(50_001);
  });
});
