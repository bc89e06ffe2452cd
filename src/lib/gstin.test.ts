import {
  gstinCheckCharacter,
  gstinProblem,
  gstinStateCode,
  isValidGstin,
  normalizeGstin,
  selectableStateCodes,
  stateLabel,
} from "./gstin";

describe("GSTIN", () => {
  // Published examples in the real format, with their real check characters.
  const valid = ["27AAPFU0939F1ZV", "29AAGCB7383J1Z4", "24AAACC1206D1ZM", "29AAAAA0000A1ZY"];

  it.each(valid)("accepts %s and reads its state from the first two digits", (gstin) => {
    expect(gstinProblem(gstin)).toBeNull();
    expect(isValidGstin(gstin)).toBe(true);
    expect(gstinStateCode(gstin)).toBe(gstin.slice(0, 2));
  });

  it("computes the mod-36 check character", () => {
    expect(gstinCheckCharacter("27AAPFU0939F1Z")).toBe("V");
    expect(gstinCheckCharacter("29AAGCB7383J1Z")).toBe("4");
  });

  it("refuses one mistyped character and two swapped neighbours by the checksum", () => {
    expect(gstinProblem("27AAPFU0939F1ZW")).toBe("checksum");
    expect(gstinProblem("27AAPFU0939F1ZV".replace("0939", "0993"))).toBe("checksum");
    expect(gstinProblem("27AAPFU0938F1ZV")).toBe("checksum");
  });

  it("refuses the wrong shape and unknown state codes", () => {
    expect(gstinProblem("27AAPFU0939F1Z")).toBe("format");
    expect(gstinProblem("27AAPFU0939F1YV")).toBe("format");
    expect(gstinProblem("2AAAPFU0939F1ZV")).toBe("format");
    expect(gstinProblem("27aapfu0939f1zv")).toBe("format");
    const unknownState = `40AAPFU0939F1Z`;
    expect(gstinProblem(unknownState + gstinCheckCharacter(unknownState))).toBe("state");
  });

  it("normalizes spaces and case before checking", () => {
    expect(normalizeGstin(" 27aapfu0939f1zv ")).toBe("27AAPFU0939F1ZV");
    expect(normalizeGstin("27 AAPFU 0939 F1ZV")).toBe("27AAPFU0939F1ZV");
  });

  it("names states, and offers no retired code to choose", () => {
    expect(stateLabel("29")).toBe("Karnataka (29)");
    expect(stateLabel("07")).toBe("Delhi (07)");
    expect(selectableStateCodes).toContain("38");
    expect(selectableStateCodes).not.toContain("25");
    expect(selectableStateCodes).not.toContain("28");
  });
});
