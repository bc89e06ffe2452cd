import { buildBusiness, buildUser } from "../../../test/factories";
import { buildSocialAccount } from "../../../test/factoriesSocial";
import { buildSocialPost } from "../../../test/factoriesSocialPosts";
import { testConfig } from "../../../test/support/config";
import { useTestDatabase } from "../../../test/support/database";
import { systemContextFor, testDeps } from "../../../test/support/deps";
import {
  grantTokens,
  startSocialOAuth,
  type SocialOAuthServer,
} from "../../../test/standins/social/oauth";
import { SocialStandIn } from "../../../test/standins/social/server";
import type { Deps } from "../../deps";
import { FakeClock } from "../../lib/clock";
import { openSecret, sealSecret } from "../../lib/secretBox";
import type { Business, SocialAccount } from "../../models";
import { publishTarget } from "./publisher";

/**
 * The publisher's token handling (publisherFor → freshCredentials): a token about to expire is
 * refreshed through the network's token endpoint (the OAuth stand-in) before the post goes out,
 * and the post carries the new token; a refused refresh marks the account "needs reconnecting"
 * and the post fails with that explained, nothing sent.
 */
const db = useTestDatabase();
jest.setTimeout(60_000);

let oauth: SocialOAuthServer;
const standIn = new SocialStandIn();

beforeAll(async () => {
  oauth = await startSocialOAuth();
  await standIn.start();
  standIn.trustIssuer(oauth.url);
});
afterAll(async () => {
  await standIn.stop();
  await oauth.stop();
});

describe("publishing refreshes tokens first", () => {
  let clock: FakeClock;
  let deps: Deps;
  let business: Business;

  beforeEach(async () => {
    clock = new FakeClock("2026-12-10T09:00:00Z");
    standIn.now = () => clock.nowMs();
    deps = {
      ...testDeps(db.current, { clock }),
      config: testConfig({ ...oauth.settings(), ...standIn.settings() }),
    };
    ({ business } = await buildBusiness(db.current.models, {
      timeZone: "Asia/Kolkata",
      // Gold: the social publisher and 10 accounts (the plan gate checks both at publish time).
      owner: await buildUser(db.current.models, { planCode: "gold" }),
    }));
  });

  let people = 0;
  /** An X account holding a real grant from the OAuth stand-in, expiring in `minutes`. */
  async function xAccount(minutes: number, refreshToken?: string): Promise<SocialAccount> {
    people += 1;
    const who = { sub: `x-user-${people}-${Date.now() % 100_000}`, name: `Shop ${people}` };
    const tokens = await grantTokens(oauth, "x", who);
    const key = deps.config.secretsKey;
    return buildSocialAccount(db.current.models, business, key, "x", {
      now: clock.now(),
      overrides: {
        externalId: who.sub,
        accessTokenSealed: sealSecret(key, tokens.accessToken),
        refreshTokenSealed: sealSecret(key, refreshToken ?? tokens.refreshToken),
        tokenExpiresAt: new Date(clock.nowMs() + minutes * 60_000),
      },
    });
  }

  async function runPost(account: SocialAccount, text: string) {
    const post = await buildSocialPost(db.current.models, business, [account], {
      text,
      scheduledAt: clock.now(),
      now: clock.now(),
    });
    const [target] = await db.current.models.SocialPostTarget.findAll({
      where: { postId: post.id },
    });
    await publishTarget(deps, await systemContextFor(db.current, business), {
      businessId: business.id,
      userId: null,
      targetId: target!.id,
      attempts: target!.attempts,
      dueAt: target!.nextAttemptAt!.getTime(),
    });
    await target!.reload();
    return target!;
  }

  const tweetAuthorizations = () =>
    standIn.requests
      .filter((r) => r.network === "x" && r.path === "/2/tweets")
      .map((r) => String(r.headers.authorization));

  it("refreshes a token that expires within the window, and posts with the new one", async () => {
    const account = await xAccount(10);
    const before = openSecret(deps.config.secretsKey, account.accessTokenSealed);
    const target = await runPost(account, "Fresh token, fresh post");
    expect(target.status).toBe("published");
    await account.reload();
    const after = openSecret(deps.config.secretsKey, account.accessTokenSealed);
    expect(after).not.toBe(before);
    // X's two-hour lifetime, counted from the app's clock at the refresh.
    expect(account.tokenExpiresAt?.getTime()).toBe(clock.nowMs() + 2 * 3600_000);
    expect(tweetAuthorizations().at(-1)).toBe(`Bearer ${after}`);
    expect(tweetAuthorizations()).not.toContain(`Bearer ${before}`);
  });

  it("leaves a token far from expiry alone", async () => {
    const account = await xAccount(24 * 60);
    const before = account.accessTokenSealed;
    const target = await runPost(account, "No refresh needed");
    expect(target.status).toBe("published");
    await account.reload();
    expect(account.accessTokenSealed).toBe(before);
  });

  it("a refused refresh marks the account needs reconnecting and fails the post, explained", async () => {
    const account = await xAccount(10, "a-refresh-token-x-never-issued");
    const sent = standIn.postsOf("x").length;
    const target = await runPost(account, "This one cannot go out");
    expect(target.status).toBe("failed");
    expect(target.errorCause).toBe("authentication");
    expect(target.errorMessage).toMatch(/X refused the sign-in \(invalid_grant\)/);
    expect(target.errorFix).toMatch(/Reconnect/);
    expect(standIn.postsOf("x")).toHaveLength(sent);
    await account.reload();
    expect(account.status).toBe("needs_reconnect");
    expect(account.lastError).toMatch(/invalid_grant/);
  });
});
