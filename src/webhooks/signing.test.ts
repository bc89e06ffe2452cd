import { baseWaitMs, nextAttemptAt } from "./backoff";
import { newSecret, sign, signedHeaders, signingSecrets, verifySignature } from "./signing";

describe("webhook signatures", () => {
  it("sign HMAC-SHA256 over `${timestamp}.${body}` with the secret, hex, as v1=", () => {
    // Known answer: echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
    expect(sign("whsec_test", 1700000000, '{"a":1}')).toBe(
      "38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789",
    );
    const now = new Date("2030-01-01T00:00:00Z");
    const headers = signedHeaders("whsec_test", "evt_1", '{"a":1}', now);
    expect(headers).toEqual({
      "Webhook-Id": "evt_1",
      "Webhook-Timestamp": String(now.getTime() / 1000),
      "Webhook-Signature": `v1=${sign("whsec_test", now.getTime() / 1000, '{"a":1}')}`,
    });
    const read = {
      timestamp: headers["Webhook-Timestamp"],
      signature: headers["Webhook-Signature"],
    };
    expect(verifySignature("whsec_test", read, '{"a":1}', now)).toBe(true);
    expect(verifySignature("whsec_test", read, '{"a":2}', now)).toBe(false);
    expect(verifySignature("whsec_other", read, '{"a":1}', now)).toBe(false);
    expect(verifySignature("whsec_test", read, '{"a":1}', new Date(now.getTime() + 301_000))).toBe(
      false,
    );
  });

  it("signs with the previous secret too for a day after a rotation", () => {
    const now = new Date("2030-01-01T00:00:00Z");
    const endpoint = {
      secret: "whsec_new",
      previousSecret: "whsec_old",
      previousSecretUntil: new Date(now.getTime() + 1000),
    };
    const secrets = signingSecrets(endpoint, now);
    expect(secrets).toEqual(["whsec_new", "whsec_old"]);
    const headers = signedHeaders(secrets, "evt_1", "{}", now);
    const read = {
      timestamp: headers["Webhook-Timestamp"],
      signature: headers["Webhook-Signature"],
    };
    expect(headers["Webhook-Signature"].split(" ")).toHaveLength(2);
    expect(verifySignature("whsec_old", read, "{}", now)).toBe(true);
    expect(verifySignature("whsec_new", read, "{}", now)).toBe(true);
    expect(signingSecrets(endpoint, new Date(now.getTime() + 1000))).toEqual(["whsec_new"]);
  });

  it("makes secrets of 32 random bytes", () => {
    const a = newSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newSecret()).not.toBe(a);
  });
});

describe("retry backoff", () => {
  const created = new Date("2030-01-01T00:00:00Z");

  it("doubles from 30 s up to an hour between attempts, spread by ±20 %", () => {
    expect([1, 2, 3, 4, 8, 9, 20].map(baseWaitMs)).toEqual([
      30_000, 60_000, 120_000, 240_000, 3_600_000, 3_600_000, 3_600_000,
    ]);
    const at = (random: number) =>
      nextAttemptAt(created, 1, created, 24, () => random)!.getTime() - created.getTime();
    expect(at(0)).toBe(24_000);
    expect(at(0.5)).toBe(30_000);
    expect(at(0.999999)).toBeLessThanOrEqual(36_000);
  });

  it("gives up when the next attempt would fall after the retry window", () => {
    const late = new Date(created.getTime() + 23.5 * 3_600_000);
    expect(nextAttemptAt(created, 20, late, 24, () => 0.5)).toBeNull();
    expect(nextAttemptAt(created, 20, late, 25, () => 0.5)).not.toBeNull();
  });
});
