import { SpreadsheetError } from "./types";
import { detectFormat } from "./sniff";

/** The content decides the format; a name ending in .xlsx must hold a workbook. */
describe("detectFormat", () => {
  const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]);
  const text = Buffer.from("name,phone\nAsha,9876543210\n");

  it("reads a workbook as XLSX whatever its name, and text as CSV", () => {
    expect(detectFormat(zip, "customers.xlsx")).toBe("xlsx");
    expect(detectFormat(zip, "customers.csv")).toBe("xlsx");
    expect(detectFormat(text, "customers.csv")).toBe("csv");
    expect(detectFormat(text, "customers.txt")).toBe("csv");
    expect(detectFormat(text)).toBe("csv");
  });

  it("refuses text renamed .xlsx, as it refuses an image", () => {
    expect(() => detectFormat(text, "customers.xlsx")).toThrow(
      new SpreadsheetError(
        "The file is named .xlsx but is not an Excel workbook. Open it in Excel and save it as .xlsx, or upload a CSV file named .csv.",
      ),
    );
    expect(() => detectFormat(Buffer.from("hello"), "Report.XLSX")).toThrow(SpreadsheetError);
    const png = Buffer.from("89504e470d0a1a0a0000", "hex");
    expect(() => detectFormat(png, "photo.xlsx")).toThrow(
      "The file is not a spreadsheet: it is neither CSV text nor an Excel workbook.",
    );
    const xls = Buffer.from("d0cf11e0a1b11ae1", "hex");
    expect(() => detectFormat(xls, "old.xlsx")).toThrow(/old Excel file \(\.xls\)/);
  });
});
