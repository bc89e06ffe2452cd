import { sniffImageType } from "./images";

describe("sniffImageType", () => {
  it("knows PNG, JPEG and WebP by their first bytes", () => {
    expect(sniffImageType(Buffer.from("89504e470d0a1a0a0000", "hex"))).toBe("png");
    expect(sniffImageType(Buffer.from("ffd8ffe000104a464946", "hex"))).toBe("jpg");
    expect(sniffImageType(Buffer.from("RIFF\x10\x00\x00\x00WEBPVP8 ", "latin1"))).toBe("webp");
  });

  it("refuses everything else, including near misses and short files", () => {
    expect(sniffImageType(Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeNull();
    expect(sniffImageType(Buffer.from("GIF89a......"))).toBeNull();
    expect(sniffImageType(Buffer.from("RIFF\x10\x00\x00\x00WAVEfmt ", "latin1"))).toBeNull();
    expect(sniffImageType(Buffer.from("89504e47", "hex"))).toBeNull();
    expect(sniffImageType(Buffer.alloc(0))).toBeNull();
  });
});
