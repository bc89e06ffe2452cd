import { formatPhone, phoneDigits, toE164 } from "./phone";

describe("phone numbers", () => {
  it("are shown in one form everywhere: international grouping, never the trunk 0", () => {
    // A business's own country and a foreign one read alike.
    expect(formatPhone("+919684884548")).toBe("+91 96848 84548");
    expect(formatPhone("+447911123456")).toBe("+44 7911 123456");
    expect(formatPhone("+971501234567")).toBe("+971 50 123 4567");
    expect(formatPhone("+12025550123")).toBe("+1 202 555 0123");
    expect(formatPhone("+919684884548")).not.toMatch(/^0/);
    // Something that is not a number is shown as stored.
    expect(formatPhone("not a phone")).toBe("not a phone");
  });

  it("read back what they show, as typed at home or abroad", () => {
    expect(toE164(formatPhone("+919684884548"), "IN")).toBe("+919684884548");
    expect(toE164(formatPhone("+447911123456"), "IN")).toBe("+447911123456");
    expect(toE164("096848 84548", "IN")).toBe("+919684884548");
    expect(phoneDigits("+91 96848 84548")).toBe("919684884548");
  });
});
