import { buildBusiness, buildUser } from "../../../test/factories";
import { buildSocialAccount } from "../../../test/factoriesSocial";
import { buildSocialPost } from "../../../test/factoriesSocialPosts";
import { testConfig } from "../../../test/support/config";
import { useTestDatabase } from "../../../test/support/database";
import { contextFor, testDeps } from "../../../test/support/deps";
import { SocialStandIn } from "../../../test/standins/social/server";
import { registerProcessors } from "../../../workers/processors";
import type { Deps } from "../../deps";
import { InProcessQueue } from "../../jobs/inProcessQueue";
import { Reconciler } from "../../jobs/reconciler";
import { socialSweepStep } from "../../jobs/socialSweep";
import { FakeClock } from "../../lib/clock";
import { createLogger } from "../../logger";
import type { Business, User } from "../../models";
import { businessScope } from "../../tenancy/scope";
import { auditOf } from "./audit";
import { createPost } from "./posts";
import { publishTarget } from "./publisher";
import { loadPost } from "./queries";
import { retryTargets } from "./retry";
import { sweepStuckPublishes } from "./stuck";

/**
 * The publisher against the networks' stand-ins (H4's, test/standins/social): scheduling in the
 * business's time zone, publishing, explained failures, retry of only what failed, Instagram's
 * 24-hour cap, a crash mid-publish, a restart after downtime, the audit log, tenant isolation.
 */
const db = useTestDatabase();
jest.setTimeout(60_000);

describe("social publisher", () => {
  const standIn = new SocialStandIn();
  let clock: FakeClock;
  let deps: Deps;
  let business: Business;
  let owner: User;

  beforeAll(async () => {
    await standIn.start();
  });
  afterAll(() => standIn.stop());

  beforeEach(async () => {
    clock = new FakeClock("2026-11-07T00:00:00Z");
    standIn.now = () => clock.nowMs();
    const base = testDeps(db.current, { clock });
    deps = { ...base, config: { ...testConfig(standIn.settings()), SOCIAL_RETRY_BASE_MS: 60_000 } };
    ({ business, owner } = await buildBusiness(db.current.models, {
      timeZone: "Asia/Kolkata",
      // Gold: the social publisher and 10 accounts (the plan gate checks both at publish time).
      owner: await buildUser(db.current.models, { planCode: "gold" }),
    }));
  });

  const account = (network: "linkedin" | "facebook" | "instagram" | "x") =>
    buildSocialAccount(db.current.models, business, deps.config.secretsKey, network, {
      standIn,
      now: clock.now(),
    });
  const ctx = () => contextFor(db.current, business, owner);
  const targetsOf = (postId: number) =>
    db.current.models.SocialPostTarget.findAll({ where: { postId }, order: [["id", "ASC"]] });
  /** Runs each pending target's job as the worker would (the payload its row names). */
  const runDue = async (postId: number) => {
    const sys = await contextFor(db.current, business, owner);
    for (const t of await targetsOf(postId))
      if (t.status === "pending" && t.nextAttemptAt && t.nextAttemptAt <= clock.now())
        await publishTarget(deps, sys, {
          businessId: business.id,
          userId: null,
          targetId: t.id,
          attempts: t.attempts,
          dueAt: t.nextAttemptAt.getTime(),
        });
  };

  it("schedules in the business's time zone and publishes to each network once, with the audit trail", async () => {
    const [li, x] = [await account("linkedin"), await account("x")];
    const at = new Date("2026-11-08T03:30:00Z"); // 09:00 in Asia/Kolkata
    const post = await createPost(
      deps,
      await ctx(),
      {
        text: "Happy Diwali!",
        accountIds: [li.id, x.id],
        variants: { [x.id]: "Happy Diwali from us 🪔" },
        mediaId: null,
        templateId: "diwali",
      },
      { kind: "schedule", at },
    );
    expect(post.status).toBe("scheduled");
    expect((await targetsOf(post.id)).map((t) => t.nextAttemptAt?.toISOString())).toEqual([
      at.toISOString(),
      at.toISOString(),
    ]);
    await runDue(post.id); // not due yet: nothing goes out
    expect(standIn.posts.filter((p) => p.text.includes("Diwali"))).toHaveLength(0);
    await clock.set(at);
    await runDue(post.id);
    await runDue(post.id); // a second run of the same jobs changes nothing
    const sent = standIn.posts.filter((p) => [li.externalId, x.externalId].includes(p.accountId));
    expect(sent.map((p) => `${p.network}:${p.text}`).sort()).toEqual([
      "linkedin:Happy Diwali!",
      "x:Happy Diwali from us 🪔",
    ]);
    const reloaded = await loadPost(deps, await ctx(), post.id);
    expect(reloaded.status).toBe("published");
    expect(reloaded.targets!.every((t) => t.status === "published" && t.externalPostId)).toBe(true);
    const audit = await auditOf(deps, businessScope(business.id), post.id);
    expect(audit.map((a) => `${a.action}:${a.userId ?? "system"}`)).toEqual([
      `create:${owner.id}`,
      `schedule:${owner.id}`,
      "publish:system",
      "publish:system",
    ]);
  });

  it("explains a permanent failure with its cause and fix, and a retry publishes only the failed network", async () => {
    const [li, fb] = [await account("linkedin"), await account("facebook")];
    const post = await createPost(
      deps,
      await ctx(),
      {
        text: "Sale starts today",
        accountIds: [li.id, fb.id],
        variants: {},
        mediaId: null,
        templateId: null,
      },
      { kind: "now" },
    );
    standIn.failNext("facebook", "content_policy");
    await runDue(post.id);
    const [liTarget, fbTarget] = await targetsOf(post.id);
    expect(liTarget!.status).toBe("published");
    expect(fbTarget).toMatchObject({ status: "failed", errorCause: "content_policy" });
    expect(fbTarget!.errorFix).toBeTruthy();
    expect((await loadPost(deps, await ctx(), post.id)).status).toBe("partially_failed");

    const before = standIn.posts.length;
    await retryTargets(deps, await ctx(), await loadPost(deps, await ctx(), post.id));
    await runDue(post.id);
    const after = standIn.posts.slice(before);
    expect(after.map((p) => p.network)).toEqual(["facebook"]);
    expect((await loadPost(deps, await ctx(), post.id)).status).toBe("published");
    const actions = (await auditOf(deps, businessScope(business.id), post.id)).map((a) => a.action);
    expect(actions).toContain("retry");
  });

  it("retries a passing outage with backoff, and an expired token fails with reconnect advice", async () => {
    const li = await account("linkedin");
    const post = await buildSocialPost(db.current.models, business, [li], {
      scheduledAt: clock.now(),
      now: clock.now(),
    });
    standIn.failNext("linkedin", "outage");
    await runDue(post.id);
    let [target] = await targetsOf(post.id);
    expect(target).toMatchObject({ status: "pending", attempts: 1, errorCause: "network_outage" });
    expect(target!.nextAttemptAt!.getTime()).toBe(clock.nowMs() + 60_000);
    await clock.advance(60_000);
    await runDue(post.id);
    [target] = await targetsOf(post.id);
    expect(target).toMatchObject({ status: "published", attempts: 2 });

    const expired = await buildSocialAccount(
      db.current.models,
      business,
      deps.config.secretsKey,
      "facebook",
      {
        standIn,
        now: clock.now(),
        overrides: { tokenExpiresAt: new Date(clock.nowMs() - 1000) },
      },
    );
    const late = await buildSocialPost(db.current.models, business, [expired], {
      scheduledAt: clock.now(),
      now: clock.now(),
    });
    await runDue(late.id);
    const [failed] = await targetsOf(late.id);
    expect(failed).toMatchObject({ status: "failed", errorCause: "authentication" });
    expect(failed!.errorFix).toMatch(/reconnect/i);
  });

  it("defers Instagram posts past 50 in a rolling 24 hours instead of failing them", async () => {
    const ig = await account("instagram");
    const media = await db.current.models.SocialMedia.create({
      businessId: business.id,
      filePath: "social/none.jpg",
      originalName: "card.jpg",
      mimeType: "image/jpeg",
      bytes: 1000,
      width: 1080,
      height: 1080,
      thumbnailPath: null,
      uploadedBy: null,
    });
    // 50 already published in the last day.
    const old = await buildSocialPost(db.current.models, business, [ig], {
      scheduledAt: clock.now(),
      now: clock.now(),
    });
    for (let i = 0; i < 50; i++) {
      const p = await buildSocialPost(db.current.models, business, [], {
        status: "published",
        now: clock.now(),
      });
      await db.current.models.SocialPostTarget.create({
        businessId: business.id,
        postId: p.id,
        socialAccountId: ig.id,
        variantText: null,
        status: "published",
        nextAttemptAt: null,
        publishedAt: new Date(clock.nowMs() - 3_600_000 + i * 1000),
      });
    }
    await old.update({ mediaId: media.id });
    const before = standIn.posts.length;
    await runDue(old.id);
    const [target] = await targetsOf(old.id);
    expect(target!.status).toBe("pending");
    // The oldest of the 50 went out an hour ago: room again 23 hours (and a second) from now.
    expect(target!.nextAttemptAt!.getTime()).toBe(clock.nowMs() - 3_600_000 + 86_400_000 + 1000);
    expect(standIn.posts.length).toBe(before);
  });

  it("turns a publish whose worker died into 'unknown' and never sends it again on its own", async () => {
    const li = await account("linkedin");
    const post = await buildSocialPost(db.current.models, business, [li], {
      scheduledAt: clock.now(),
      now: clock.now(),
    });
    const [target] = await targetsOf(post.id);
    // The state a worker killed after its claim leaves: publishing, an open attempt.
    await target!.update({ status: "publishing", attempts: 1 });
    await db.current.models.SocialPublishAttempt.create({
      businessId: business.id,
      targetId: target!.id,
      startedAt: clock.now(),
      requestSummary: "LinkedIn",
      outcome: "open",
    });
    expect(await sweepStuckPublishes(deps, clock.now())).toBe(0); // still within the request's time
    await clock.advance(deps.config.SOCIAL_PUBLISH_TIMEOUT_MS + 11_000);
    expect(await sweepStuckPublishes(deps, clock.now())).toBe(1);
    const [unknown] = await targetsOf(post.id);
    expect(unknown).toMatchObject({ status: "unknown", nextAttemptAt: null });
    expect(unknown!.errorFix).toMatch(/look for the post/);
    const before = standIn.posts.length;
    await runDue(post.id);
    expect(standIn.posts.length).toBe(before);
    expect((await loadPost(deps, await ctx(), post.id)).status).toBe("failed");
  });

  it("publishes what fell due during an hour's stop exactly once, however many processes reconcile", async () => {
    const li = await account("linkedin");
    const posts = [];
    for (let i = 0; i < 5; i++)
      posts.push(
        await buildSocialPost(db.current.models, business, [li], {
          text: `Downtime post ${i} ${business.id}`,
          scheduledAt: new Date(clock.nowMs() + (i + 1) * 600_000),
          now: clock.now(),
        }),
      );
    await clock.advance(3_600_000); // every one fell due while nothing ran
    const logger = createLogger("silent");
    const queue = new InProcessQueue(logger, clock);
    const live = { ...deps, queue };
    registerProcessors(live);
    const reconciler = new Reconciler(logger);
    reconciler.register(socialSweepStep);
    await reconciler.run(live, "start");
    await reconciler.run(live, "start"); // a second process starting at once
    await queue.startWorkers({ concurrency: 4 });
    const sent = () =>
      standIn.posts.filter(
        (p) => p.text.endsWith(` ${business.id}`) && p.text.startsWith("Downtime"),
      );
    for (let i = 0; i < 200 && sent().length < 5; i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 200));
    await queue.close();
    expect(
      sent()
        .map((p) => p.text)
        .sort(),
    ).toEqual(posts.map((p) => p.text).sort());
  });

  it("keeps businesses apart: another business's job and lists never reach this one's posts", async () => {
    const li = await account("linkedin");
    const post = await buildSocialPost(db.current.models, business, [li], {
      scheduledAt: clock.now(),
      now: clock.now(),
    });
    const { business: other, owner: otherOwner } = await buildBusiness(db.current.models);
    const otherCtx = await contextFor(db.current, other, otherOwner);
    const [target] = await targetsOf(post.id);
    await publishTarget(deps, otherCtx, {
      businessId: other.id,
      userId: null,
      targetId: target!.id,
      attempts: 0,
      dueAt: target!.nextAttemptAt!.getTime(),
    });
    expect((await targetsOf(post.id))[0]!.status).toBe("pending");
    await expect(loadPost(deps, otherCtx, post.id)).rejects.toMatchObject({ status: 404 });
    await expect(
      createPost(
        deps,
        otherCtx,
        { text: "x", accountIds: [li.id], variants: {}, mediaId: null, templateId: null },
        { kind: "now" },
      ),
    ).rejects.toMatchObject({ status: 422 });
  });
});
