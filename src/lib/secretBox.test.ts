import { randomBytes } from "node:crypto";
import { AppError } from "../errors";
import { openSecret, sealSecret } from "./secretBox";

describe("secretBox", () => {
  const key = randomBytes(32);

  it("opens what it sealed, and never stores the plaintext", () => {
    const sealed = sealSecret(key, "EAAG-token-ü");
    expect(sealed).not.toContain("EAAG");
    expect(sealed.startsWith("v1.")).toBe(true);
    expect(openSecret(key, sealed)).toBe("EAAG-token-ü");
    expect(sealSecret(key, "same")).not.toBe(sealSecret(key, "same"));
  });

  it("refuses a box that was altered or sealed with another key", () => {
    const sealed = sealSecret(key, "secret");
    const parts = sealed.split(".");
    const body = Buffer.from(parts[3] as string, "base64url");
    body[0] = (body[0] as number) ^ 1;
    const altered = [...parts.slice(0, 3), body.toString("base64url")].join(".");
    expect(() => openSecret(key, altered)).toThrow(AppError);
    expect(() => openSecret(randomBytes(32), sealed)).toThrow(/another SECRETS_KEY/);
    expect(() => openSecret(key, "plain-text")).toThrow(AppError);
  });
});
