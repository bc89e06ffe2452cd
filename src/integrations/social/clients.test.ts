import { testConfig } from "../../../test/support/config";
import { SocialStandIn, type StandInFailure } from "../../../test/standins/social/server";
import { checkAccount, socialClient, SocialError, type AccountCredentials } from ".";
import type { SocialNetwork } from "./types";

/** Each network's client against its stand-in: the protocol, and every failure class's mapping. */
let standIn: SocialStandIn;
let config: ReturnType<typeof testConfig>;

beforeAll(async () => {
  standIn = await new SocialStandIn().start();
  config = testConfig(standIn.settings());
});
afterAll(() => standIn.stop());

const subjects: Record<SocialNetwork, string> = {
  linkedin: "urn:li:person:abc123",
  facebook: "100200300",
  instagram: "17841400000",
  x: "1700000001",
};

function account(network: SocialNetwork, expiresAt: Date | null = null): AccountCredentials {
  return {
    network,
    externalId: subjects[network],
    accessToken: standIn.issueToken(network, subjects[network]),
    tokenExpiresAt: expiresAt,
  };
}

const image = {
  bytes: Buffer.from("89504e470d0a1a0a0000000d49484452000001000000010008060000", "hex"),
  mimeType: "image/png",
  publicUrl: "https://cdn.example.test/social/diwali.png",
};
const jpeg = { ...image, mimeType: "image/jpeg", publicUrl: "https://cdn.example.test/a.jpg" };

async function failure(promise: Promise<unknown>): Promise<SocialError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SocialError) return error;
    throw error;
  }
  throw new Error("expected a SocialError");
}

describe("social network clients", () => {
  it("LinkedIn: uploads the image, then posts with the version headers and its URN", async () => {
    const result = await socialClient(config, "linkedin").publish(account("linkedin"), {
      text: "Happy Diwali from all of us",
      image,
    });
    expect(result.externalPostId).toMatch(/^urn:li:share:\d+/);
    expect(result.url).toBe(`https://www.linkedin.com/feed/update/${result.externalPostId}/`);
    const [post] = standIn.postsOf("linkedin").slice(-1);
    expect(post).toMatchObject({
      accountId: subjects.linkedin,
      text: "Happy Diwali from all of us",
    });
    expect(post?.media[0]).toMatch(/^urn:li:image:/);
    const call = standIn.requests.filter((r) => r.path === "/rest/posts").at(-1);
    expect(call?.headers["linkedin-version"]).toBe(config.LINKEDIN_VERSION);
    expect(call?.headers["x-restli-protocol-version"]).toBe("2.0.0");
  });

  it("Facebook: a photo post through /photos, a text post through /feed", async () => {
    const client = socialClient(config, "facebook");
    const photo = await client.publish(account("facebook"), { text: "Photo day", image: jpeg });
    const text = await client.publish(account("facebook"), { text: "Just words" });
    expect(photo.externalPostId).toMatch(new RegExp(`^${subjects.facebook}_`));
    expect(text.externalPostId).toMatch(new RegExp(`^${subjects.facebook}_`));
    const posts = standIn.postsOf("facebook");
    expect(posts.map((p) => [p.text, p.media])).toEqual([
      ["Photo day", [jpeg.publicUrl]],
      ["Just words", []],
    ]);
  });

  it("Instagram: a container, then media_publish; text alone is refused before any call", async () => {
    const client = socialClient(config, "instagram");
    const result = await client.publish(account("instagram"), { text: "Gram it", image: jpeg });
    expect(result.externalPostId).toBeTruthy();
    expect(standIn.postsOf("instagram").at(-1)).toMatchObject({
      text: "Gram it",
      media: [jpeg.publicUrl],
    });
    const before = standIn.requests.length;
    const noImage = await failure(client.publish(account("instagram"), { text: "words" }));
    expect(noImage).toMatchObject({ cause: "media", retryable: false });
    expect(standIn.requests.length).toBe(before);
  });

  it("X: media upload first, then the post with its media id", async () => {
    const result = await socialClient(config, "x").publish(account("x"), {
      text: "Shipping today",
      image,
    });
    expect(result.url).toBe(`https://x.com/i/web/status/${result.externalPostId}`);
    const post = standIn.postsOf("x").at(-1);
    expect(post?.media).toHaveLength(1);
  });

  it("Instagram: the 50-a-day cap is a retryable limit with the window in its fix", async () => {
    const client = socialClient(config, "instagram");
    const ig = { ...account("instagram"), externalId: "17841400099" };
    ig.accessToken = standIn.issueToken("instagram", ig.externalId);
    standIn.instagramDailyLimit = 1;
    try {
      await client.publish(ig, { text: "one", image: jpeg });
      const capped = await failure(client.publish(ig, { text: "two", image: jpeg }));
      expect(capped).toMatchObject({ cause: "limit", retryable: true, code: "400 #9/2207042" });
      expect(capped.fix).toMatch(/50 posts per account in 24 hours/);
    } finally {
      standIn.instagramDailyLimit = 50;
    }
  });

  const expected: Record<StandInFailure, { cause: string; retryable: boolean; fix: RegExp }> = {
    expired_token: { cause: "authentication", retryable: false, fix: /^Reconnect the .+ account/ },
    permission: { cause: "authentication", retryable: false, fix: /allow/ },
    media_rejected: { cause: "media", retryable: false, fix: /could not use the image/ },
    content_policy: { cause: "content_policy", retryable: false, fix: /refused the content/ },
    duplicate: { cause: "content_policy", retryable: false, fix: /identical to a recent one/ },
    rate_limit: { cause: "limit", retryable: true, fix: /tried again automatically/ },
    outage: { cause: "network_outage", retryable: true, fix: /tried again automatically/ },
  };
  const networks: SocialNetwork[] = ["linkedin", "facebook", "instagram", "x"];
  const cases = networks.flatMap((network) =>
    (Object.keys(expected) as StandInFailure[]).map((kind) => [network, kind] as const),
  );

  it.each(cases)("%s: %s maps to its cause and fix", async (network, kind) => {
    standIn.failNext(network, kind);
    const error = await failure(
      socialClient(config, network).publish(account(network), {
        text: `A post that meets ${kind}`,
        image: network === "instagram" ? jpeg : image,
      }),
    );
    expect(error).toMatchObject({
      network,
      cause: expected[kind].cause,
      retryable: expected[kind].retryable,
    });
    expect(error.fix).toMatch(expected[kind].fix);
    expect(error.code).toMatch(/^\d{3}/);
    expect(error.message.length).toBeGreaterThan(0);
  });

  it("a real duplicate on X (same text twice) is a content_policy failure", async () => {
    const x = account("x");
    await socialClient(config, "x").publish(x, { text: "Only once" });
    const error = await failure(socialClient(config, "x").publish(x, { text: "Only once" }));
    expect(error).toMatchObject({ cause: "content_policy", status: 403 });
  });

  it("a revoked token is an authentication failure on every network", async () => {
    for (const network of networks) {
      const creds = account(network);
      standIn.revokeToken(creds.accessToken);
      const error = await failure(
        socialClient(config, network).publish(creds, { text: "x", image: jpeg }),
      );
      expect([network, error.cause]).toEqual([network, "authentication"]);
    }
  });

  it("a network that cannot be reached is a retryable outage; nothing was sent", async () => {
    const down = testConfig({ X_API_BASE_URL: "http://127.0.0.1:9" });
    const error = await failure(socialClient(down, "x").publish(account("x"), { text: "hello" }));
    expect(error).toMatchObject({
      cause: "network_outage",
      retryable: true,
      outcomeUnknown: false,
    });
  });

  it("X's 429 carries when the window resets", async () => {
    standIn.failNext("x", "rate_limit");
    const error = await failure(socialClient(config, "x").publish(account("x"), { text: "later" }));
    expect(error.resetAt).toBeInstanceOf(Date);
  });

  describe("pre-flight check", () => {
    const now = new Date("2026-12-10T10:00:00Z");
    const hours = (n: number) => new Date(now.getTime() + n * 3600_000);

    it("ok, expiring within a day, expired, and revoked", async () => {
      const client = socialClient(config, "linkedin");
      expect((await checkAccount(client, account("linkedin", hours(72)), now)).state).toBe("ok");
      const soon = await checkAccount(client, account("linkedin", hours(5)), now);
      expect(soon).toMatchObject({
        state: "expiring",
        fix: "Reconnect the LinkedIn account before then.",
      });
      expect((await checkAccount(client, account("linkedin", hours(-1)), now)).state).toBe(
        "expired",
      );
      const revoked = account("linkedin", hours(72));
      standIn.revokeToken(revoked.accessToken);
      const check = await checkAccount(client, revoked, now);
      expect(check).toMatchObject({ state: "unauthorized" });
      expect(check.fix).toMatch(/^Reconnect/);
    });

    it("works on every network", async () => {
      for (const network of networks) {
        const check = await checkAccount(
          socialClient(config, network),
          account(network, hours(48)),
          now,
        );
        expect([network, check.state]).toEqual([network, "ok"]);
      }
    });
  });
});
