import { randomUUID } from "node:crypto";
import { testConfig } from "../../test/support/config";
import { FakeClock } from "./clock";
import { LoginLimiter } from "./loginLimiter";

/**
 * The sign-in limits on their own (memory, or Redis when the run has REDIS_URL), on a fake clock:
 * failures per (account, address) with growing waits, failures per address, successes free.
 */
const settings = {
  LOGIN_FREE_FAILURES: "3",
  LOGIN_FIRST_DELAY_SECONDS: "10",
  LOGIN_MAX_DELAY_SECONDS: "40",
  LOGIN_IP_FAILURES_PER_HOUR: "12",
};

function limiterOn(clock: FakeClock, overrides: Record<string, string> = {}): LoginLimiter {
  const config = testConfig({
    ...settings,
    ...overrides,
    QUEUE_PREFIX: `crm-test-${randomUUID().slice(0, 8)}`,
  });
  return LoginLimiter.create(config, clock);
}

type Outcome = "ok" | "wrong" | `wait ${number}s (${"account" | "network"})`;

/** One sign-in as the limiter sees it: the password right or wrong. */
async function attempt(
  limiter: LoginLimiter,
  ip: string,
  email: string,
  right: boolean,
): Promise<Outcome> {
  const guarded = await limiter.guard(
    ip,
    email,
    async () => right,
    (ok) => !ok,
  );
  if (guarded.refused)
    return `wait ${guarded.refused.retryAfterSeconds}s (${guarded.refused.scope})`;
  return guarded.result ? "ok" : "wrong";
}

describe("sign-in limits", () => {
  let clock: FakeClock;
  let limiter: LoginLimiter;
  beforeEach(() => {
    clock = new FakeClock("2030-03-01T10:00:00Z");
    limiter = limiterOn(clock);
  });
  afterEach(() => limiter.close());

  it("lets the free failures through, then waits longer after each failure, up to the cap", async () => {
    const ip = "203.0.113.5";
    const email = "asha@example.test";
    const seen: Outcome[] = [];
    for (let i = 0; i < 4; i++) seen.push(await attempt(limiter, ip, email, false));
    expect(seen).toEqual(["wrong", "wrong", "wrong", "wait 10s (account)"]);
    // Even the right password waits: the wait is what slows a guesser down.
    expect(await attempt(limiter, ip, email, true)).toBe("wait 10s (account)");

    await clock.advance(9_000);
    expect(await attempt(limiter, ip, email, false)).toBe("wait 1s (account)");
    await clock.advance(1_000);
    expect(await attempt(limiter, ip, email, false)).toBe("wrong");
    expect(await attempt(limiter, ip, email, false)).toBe("wait 20s (account)");
    await clock.advance(20_000);
    expect(await attempt(limiter, ip, email, false)).toBe("wrong");
    expect(await attempt(limiter, ip, email, false)).toBe("wait 40s (account)");
    await clock.advance(40_000);
    expect(await attempt(limiter, ip, email, false)).toBe("wrong");
    // Capped at LOGIN_MAX_DELAY_SECONDS.
    expect(await attempt(limiter, ip, email, false)).toBe("wait 40s (account)");

    await clock.advance(40_000);
    expect(await attempt(limiter, ip, email, true)).toBe("ok");
    // A correct password clears the count: the free failures are there again.
    for (let i = 0; i < 3; i++) expect(await attempt(limiter, ip, email, false)).toBe("wrong");
  });

  it("counts an account's failures per address: a stranger elsewhere slows only themselves", async () => {
    const email = "owner@example.test";
    for (let i = 0; i < 6; i++) await attempt(limiter, "198.51.100.66", email, false);
    expect(await attempt(limiter, "198.51.100.66", email, true)).toMatch(/^wait/);
    expect(await attempt(limiter, "203.0.113.10", email, true)).toBe("ok");
    // Other accounts from the stranger's address are not slowed by this account's failures.
    expect(await attempt(limiter, "198.51.100.66", "someone@example.test", false)).toBe("wrong");
  });

  it("counts only failures against an address: colleagues behind one address sign in freely", async () => {
    const office = "192.0.2.80";
    for (let i = 0; i < 50; i++)
      expect(await attempt(limiter, office, `person${i}@example.test`, true)).toBe("ok");
    // Twelve failures an hour from the address, across accounts, then it waits.
    for (let i = 0; i < 12; i++)
      expect(await attempt(limiter, office, `typo${i}@example.test`, false)).toBe("wrong");
    expect(await attempt(limiter, office, "person1@example.test", true)).toMatch(
      /^wait \d+s \(network\)$/,
    );
    expect(await attempt(limiter, "192.0.2.81", "person1@example.test", true)).toBe("ok");
  });

  it("lets at most the free failures and one more through when guesses come in parallel", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let checked = 0;
    const guesses = Array.from({ length: 10 }, () =>
      limiter.guard(
        "203.0.113.77",
        "target@example.test",
        async () => {
          checked += 1;
          await gate;
          return false;
        },
        (ok) => !ok,
      ),
    );
    // Every guess has reached its check or been refused before any check answers.
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    const results = await Promise.all(guesses);
    expect(checked).toBeLessThanOrEqual(4);
    expect(results.filter((r) => r.refused).length).toBeGreaterThanOrEqual(6);
  });

  it("gives the points back when the check breaks instead of answering", async () => {
    const small = limiterOn(clock, { LOGIN_IP_FAILURES_PER_HOUR: "2", LOGIN_FREE_FAILURES: "1" });
    try {
      for (let i = 0; i < 5; i++) {
        await expect(
          small.guard(
            "203.0.113.9",
            "broken@example.test",
            () => Promise.reject(new Error("database gone")),
            () => true,
          ),
        ).rejects.toThrow("database gone");
      }
      expect(await attempt(small, "203.0.113.9", "broken@example.test", false)).toBe("wrong");
    } finally {
      await small.close();
    }
  });
});
