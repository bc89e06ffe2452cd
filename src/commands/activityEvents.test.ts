import request from "supertest";
import { buildBusiness, buildUser, defaultPassword } from "../../test/factories";
import { buildRecipient, buildSendCampaign } from "../../test/factoriesCampaignSends";
import { buildSocialAccount } from "../../test/factoriesSocial";
import { buildSocialPost } from "../../test/factoriesSocialPosts";
import { buildTestApp, type TestApp } from "../../test/support/app";
import { contextFor } from "../../test/support/deps";
import { signIn } from "../../test/support/forms";
import {
  closeServer,
  listening,
  openEventStream,
  sessionCookie,
  type EventStream,
} from "../../test/support/sse";
import { SocialStandIn } from "../../test/standins/social/server";
import { FakeClock } from "../lib/clock";
import type { Business, User } from "../models";
import { closeLiveNotifications } from "../notifications/live";
import { runCampaignDispatch } from "./campaigns/sending/dispatch";
import { createPost, deletePost, updatePost } from "./social/posts";
import { publishTarget } from "./social/publisher";

/**
 * Feature events in the activity feed and on live dashboards (issue 15): a campaign that finished
 * sending, a social post published or failed on a network. The dispatcher and the publisher are
 * run as the worker runs them; an open dashboard's stream hears which cards changed (through Redis
 * pub/sub when REDIS_URL is set: a Redis-backed channel never delivers locally) and the page then
 * shows the new numbers and the feed's sentence.
 */
jest.setTimeout(30_000);
const clock = new FakeClock("2026-12-02T06:00:00Z");

describe("activity events and live dashboard cards", () => {
  const standIn = new SocialStandIn();
  let t: TestApp;
  let served: Awaited<ReturnType<typeof listening>>;
  let stream: EventStream | undefined;

  beforeAll(async () => {
    await standIn.start();
    standIn.now = () => clock.nowMs();
    const redis: Record<string, string> = process.env.REDIS_URL
      ? { REDIS_URL: process.env.REDIS_URL }
      : {};
    t = await buildTestApp({ ...standIn.settings(), ...redis }, { clock });
    served = await listening(t.app);
  });
  afterEach(() => {
    stream?.close();
    stream = undefined;
  });
  afterAll(async () => {
    await closeServer(served.server);
    await closeLiveNotifications(t.deps.config);
    await t.close();
    await standIn.stop();
  });

  /** A Gold business whose owner has the dashboard open (its stream past the first count). */
  async function dashboardOpen(): Promise<{ business: Business; owner: User }> {
    const owner = await buildUser(t.deps.models, { planCode: "gold", name: "Asha Rao" });
    const { business } = await buildBusiness(t.deps.models, { owner, timeZone: "Asia/Kolkata" });
    const cookie = await sessionCookie(served.url, owner.email);
    stream = await openEventStream(`${served.url}/notifications/live`, cookie);
    expect((await stream.next()).event).toBe("unread");
    return { business, owner };
  }
  /** The next dashboard event's card names. */
  async function nextCards(): Promise<string[]> {
    const event = await stream!.next(5_000);
    expect(event.event).toBe("dashboard");
    return (JSON.parse(event.data) as { cards: string[] }).cards;
  }
  const text = (html: string) =>
    html
      .replace(/<[^>]+>/g, " ")
      .replace(/&#x27;/g, "'")
      .replace(/\s+/g, " ");
  const page = async (owner: User, path: string) => {
    const agent = request.agent(served.url);
    await signIn(agent, owner.email, defaultPassword);
    return agent.get(path).expect(200);
  };

  it("records a completed campaign once, and the open dashboard refreshes its card and feed", async () => {
    const { business, owner } = await dashboardOpen();
    const campaign = await buildSendCampaign(t.deps.models, business, {
      name: "Diwali Offer",
      sendState: "sending",
      sendStartedAt: new Date("2026-12-02T05:00:00Z"),
    });
    for (const status of ["delivered", "read", "read", "failed"] as const)
      await buildRecipient(t.deps.models, business, campaign, { status });
    const ctx = await contextFor(t.deps, business, owner);

    expect(await runCampaignDispatch(t.deps, ctx, campaign.id)).toBe("completed");
    expect(await nextCards()).toEqual(["campaign", "activity"]);
    // A second tick finds it completed already: no second event, no second signal.
    expect(await runCampaignDispatch(t.deps, ctx, campaign.id)).toBe("stopped");
    await expect(stream!.next(300)).rejects.toThrow("no event in time");
    const events = await t.deps.models.BusinessEvent.findAll({
      where: { businessId: business.id },
    });
    expect(events.map((e) => [e.source, e.kind, e.subjectId])).toEqual([
      ["campaign", "completed", campaign.id],
    ]);

    const dashboard = await page(owner, "/");
    expect(text(dashboard.text)).toContain(
      "Campaign Diwali Offer completed: 3 delivered, 1 failed",
    );
    expect(dashboard.text).toContain(`href="/campaigns/${campaign.id}/results">Diwali Offer</a>`);
    const activity = await page(owner, "/activity?kind=campaign");
    expect(text(activity.text)).toContain("Campaign Diwali Offer completed: 3 delivered, 1 failed");
  });

  it("leaves a campaign sending when its feed entry cannot be written, and completes it with the entry on the next tick", async () => {
    const { business, owner } = await dashboardOpen();
    const campaign = await buildSendCampaign(t.deps.models, business, {
      name: "Refused Feed",
      sendState: "sending",
      sendStartedAt: new Date("2026-12-02T05:00:00Z"),
    });
    await buildRecipient(t.deps.models, business, campaign, { status: "delivered" });
    const ctx = await contextFor(t.deps, business, owner);
    // A database that refuses the feed row (as a full disk or a lost connection would).
    const mysql = t.deps.sequelize.getDialect() === "mysql";
    await t.deps.sequelize.query(
      mysql
        ? `CREATE TRIGGER refuse_feed BEFORE INSERT ON business_events FOR EACH ROW
             BEGIN IF NEW.subject_name = 'Refused Feed' THEN
               SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'refused'; END IF; END`
        : `CREATE TRIGGER refuse_feed BEFORE INSERT ON business_events
             WHEN NEW.subject_name = 'Refused Feed' BEGIN SELECT RAISE(ABORT, 'refused'); END`,
    );
    try {
      // Sequelize words the refusal per dialect ("Validation error" on SQLite).
      await expect(runCampaignDispatch(t.deps, ctx, campaign.id)).rejects.toThrow();
    } finally {
      await t.deps.sequelize.query("DROP TRIGGER refuse_feed");
    }
    expect((await t.deps.models.Campaign.findByPk(campaign.id))?.sendState).toBe("sending");

    expect(await runCampaignDispatch(t.deps, ctx, campaign.id)).toBe("completed");
    expect((await t.deps.models.Campaign.findByPk(campaign.id))?.sendState).toBe("completed");
    const events = await t.deps.models.BusinessEvent.findAll({
      where: { businessId: business.id },
    });
    expect(events.map((e) => [e.kind, e.subjectId])).toEqual([["completed", campaign.id]]);
    expect(await nextCards()).toEqual(["campaign", "activity"]);
  });

  it("records a post published on one network and failed on another, each refreshing the cards", async () => {
    const { business, owner } = await dashboardOpen();
    const key = t.deps.config.secretsKey;
    const now = clock.now();
    const li = await buildSocialAccount(t.deps.models, business, key, "linkedin", { standIn, now });
    const x = await buildSocialAccount(t.deps.models, business, key, "x", { standIn, now });
    const post = await buildSocialPost(t.deps.models, business, [li, x], {
      text: "Diwali greetings from Asha's shop",
      scheduledAt: new Date("2026-12-02T05:30:00Z"),
      now,
    });
    standIn.failNext("x", "content_policy");
    const ctx = await contextFor(t.deps, business, owner);
    const targets = await t.deps.models.SocialPostTarget.findAll({
      where: { postId: post.id },
      order: [["id", "ASC"]],
    });
    for (const target of targets)
      await publishTarget(t.deps, ctx, {
        businessId: business.id,
        userId: null,
        targetId: target.id,
        attempts: target.attempts,
        dueAt: target.nextAttemptAt!.getTime(),
      });
    expect(await nextCards()).toEqual(["social", "activity"]);
    expect(await nextCards()).toEqual(["social", "activity"]);

    const activity = await page(owner, "/activity?kind=social");
    const feed = text(activity.text);
    expect(feed).toContain(
      `Post Diwali greetings from Asha's shop published on LinkedIn (${li.displayName})`,
    );
    expect(feed).toMatch(
      new RegExp(`Post Diwali greetings from Asha's shop failed on X \\(${x.displayName}\\): \\w+`),
    );
    expect(activity.text).toContain(`href="/social/posts/${post.id}"`);
  });

  it("refreshes the social card when a post is scheduled, rescheduled and deleted", async () => {
    const { business, owner } = await dashboardOpen();
    const key = t.deps.config.secretsKey;
    const li = await buildSocialAccount(t.deps.models, business, key, "linkedin", {
      standIn,
      now: clock.now(),
    });
    const ctx = await contextFor(t.deps, business, owner);
    const input = {
      text: "Weekend sale",
      accountIds: [li.id],
      variants: {},
      mediaId: null,
      templateId: null,
    };
    const at = (iso: string) => ({ kind: "schedule" as const, at: new Date(iso) });
    const post = await createPost(t.deps, ctx, input, at("2026-12-05T04:30:00Z"));
    expect(await nextCards()).toEqual(["social"]);
    const home = async () => text((await page(owner, "/")).text);
    expect(await home()).toContain("Weekend sale");

    await updatePost(t.deps, ctx, post, input, at("2026-12-06T04:30:00Z"));
    expect(await nextCards()).toEqual(["social"]);
    await deletePost(t.deps, ctx, post);
    expect(await nextCards()).toEqual(["social"]);
    expect(await home()).not.toContain("Weekend sale");
  });
});
