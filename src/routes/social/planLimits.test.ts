import { buildSocialAccount } from "../../../test/factoriesSocial";
import { buildSocialPost } from "../../../test/factoriesSocialPosts";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, type Agent } from "../../../test/support/customers";
import { systemContextFor } from "../../../test/support/deps";
import { csrfFrom } from "../../../test/support/forms";
import { SocialStandIn } from "../../../test/standins/social/server";
import { publishTarget } from "../../commands/social/publisher";
import { FakeClock } from "../../lib/clock";
import type { Business, SocialAccount, SocialPost, User } from "../../models";

/**
 * Plan limits after a downgrade (issue 14, through the one plan gate): connected social accounts
 * beyond the new plan's limit are kept — listed, never deleted or disconnected — but read-only:
 * no post is scheduled or published through them, and each refusal says why and links to the
 * plans. A plan without the social publisher publishes nothing that falls due.
 */
const clock = new FakeClock("2026-12-10T04:30:00Z");
const standIn = new SocialStandIn();
let t: TestApp;

beforeAll(async () => {
  await standIn.start();
  standIn.now = () => clock.nowMs();
  t = await buildTestApp(standIn.settings(), { clock });
});
afterAll(async () => {
  await t.close();
  await standIn.stop();
});

/** Runs the publish job of the post's (only) target as the queue would, and returns it reloaded. */
async function publishDue(business: Business, postId: number) {
  const [target] = await t.deps.models.SocialPostTarget.findAll({ where: { postId } });
  await publishTarget(t.deps, await systemContextFor(t.deps, business), {
    businessId: business.id,
    userId: null,
    targetId: target!.id,
    attempts: target!.attempts,
    dueAt: target!.nextAttemptAt!.getTime(),
  });
  return target!.reload();
}

describe("social accounts beyond the plan", () => {
  let agent: Agent;
  let owner: User;
  let business: Business;
  let accounts: SocialAccount[];
  let early: SocialPost;

  beforeAll(async () => {
    ({ agent, owner, business } = await ownerSignedIn(t, "enterprise"));
    accounts = [];
    // Enterprise connects any number; Gold allows 10. Eleven, the last one an X account.
    for (let i = 0; i < 11; i += 1)
      accounts.push(
        await buildSocialAccount(
          t.deps.models,
          business,
          t.deps.config.secretsKey,
          i === 10 ? "x" : "linkedin",
          { standIn, now: clock.now(), overrides: { displayName: `Account ${i + 1}` } },
        ),
      );
    // Scheduled while on Enterprise, due after the downgrade.
    early = await buildSocialPost(t.deps.models, business, [accounts[10]!], {
      text: "Scheduled before the downgrade",
      scheduledAt: new Date(clock.nowMs() + 3600_000),
      now: clock.now(),
    });
    await owner.update({ planCode: "gold" });
  });

  const schedule = (csrf: string, accountId: number, intent = "schedule") =>
    agent
      .post("/social/posts")
      .type("form")
      .send({
        _csrf: csrf,
        text: `Season's greetings ${accountId} ${intent}`,
        accountIds: [String(accountId)],
        intent,
        scheduledAt: "2026-12-24T10:00",
      });

  it("keeps every account, marking the one beyond Gold's 10 read-only with a link to the plans", async () => {
    const page = await agent.get("/social/accounts").expect(200);
    for (const account of accounts) expect(page.text).toContain(`data-account="${account.id}"`);
    const marked = [...page.text.matchAll(/data-account="(\d+)"[\s\S]*?(?=data-account="|$)/g)]
      .filter((m) => m[0].includes("data-read-only"))
      .map((m) => Number(m[1]));
    expect(marked).toEqual([accounts[10]!.id]);
    expect(page.text).toContain("the Gold plan allows 10");
    expect(page.text).toMatch(/Only the first 10 connected can publish; X Account 11 is beyond/);
    expect(page.text).toMatch(/href="\/pricing[^"]*#limit-socialAccounts"/);
    const rows = await t.deps.models.SocialAccount.findAll({ where: { businessId: business.id } });
    expect(rows.map((r) => r.status)).toEqual(Array(11).fill("connected"));
  });

  it("refuses to schedule or publish through it (402 on the form, linked to the plans); a draft may name it", async () => {
    const form = await agent.get("/social/posts/new").expect(200);
    expect(form.text).toMatch(/data-read-only>read-only on your plan/);
    const csrf = csrfFrom(form);
    const before = await t.deps.models.SocialPost.count({ where: { businessId: business.id } });
    for (const intent of ["schedule", "now"]) {
      const refused = await schedule(csrf, accounts[10]!.id, intent).expect(402);
      expect(refused.text).toContain("the Gold plan allows 10");
      expect(refused.text).toMatch(
        /<a href="\/pricing[^"]*#limit-socialAccounts">See the plans<\/a>/,
      );
    }
    expect(await t.deps.models.SocialPost.count({ where: { businessId: business.id } })).toBe(
      before,
    );
    await schedule(csrf, accounts[10]!.id, "draft").expect(302);
    await schedule(csrf, accounts[0]!.id).expect(302);
    expect(standIn.postsOf("x")).toHaveLength(0);
  });

  it("fails a post that falls due through it, nothing sent, with the cause and the way out", async () => {
    await clock.set(new Date(clock.nowMs() + 3600_000));
    const target = await publishDue(business, early.id);
    expect(target).toMatchObject({ status: "failed", errorCause: "limit" });
    expect(target.errorMessage).toMatch(/the Gold plan allows 10/);
    expect(target.errorFix).toMatch(/Upgrade the plan \(\/pricing[^)]*\) or disconnect/);
    expect(standIn.postsOf("x")).toHaveLength(0);
    const page = await agent.get(`/social/posts/${early.id}`).expect(200);
    expect(page.text).toContain("Posting limit reached");
    // Retrying it is refused the same way (back on the post with the reason), and so is moving a
    // scheduled post that goes through it.
    const retried = await agent
      .post(`/social/posts/${early.id}/retry`)
      .type("form")
      .send({ _csrf: csrfFrom(page) })
      .expect(302);
    expect(retried.headers.location).toBe(`/social/posts/${early.id}`);
    const flash = await agent.get(`/social/posts/${early.id}`).expect(200);
    expect(flash.text).toContain("Only the first 10 connected can publish");
    await target.reload();
    expect(target.status).toBe("failed");
    const later = await buildSocialPost(t.deps.models, business, [accounts[10]!], {
      text: "Scheduled later, before the downgrade",
      scheduledAt: new Date(clock.nowMs() + 86_400_000),
      now: clock.now(),
    });
    await agent
      .post(`/social/posts/${later.id}/reschedule`)
      .type("form")
      .send({ _csrf: csrfFrom(page), scheduledAt: "2026-12-30T10:00" })
      .expect(302);
    await later.reload();
    expect(later.scheduledAt!.getTime()).toBe(clock.nowMs() + 86_400_000);
  });

  it("lets it publish again once an earlier account is disconnected", async () => {
    const list = await agent.get("/social/accounts").expect(200);
    await agent
      .post(`/social/accounts/${accounts[0]!.id}/disconnect`)
      .type("form")
      .send({ _csrf: csrfFrom(list) })
      .expect(302);
    const page = await agent.get("/social/accounts").expect(200);
    expect(page.text).not.toContain("data-read-only");
    const form = await agent.get("/social/posts/new").expect(200);
    await schedule(csrfFrom(form), accounts[10]!.id).expect(302);
  });

  it("publishes nothing that falls due on a plan without the social publisher", async () => {
    const post = await buildSocialPost(t.deps.models, business, [accounts[1]!], {
      text: "Due after a downgrade to Silver",
      scheduledAt: clock.now(),
      now: clock.now(),
    });
    await owner.update({ planCode: "silver" });
    const target = await publishDue(business, post.id);
    expect(target).toMatchObject({ status: "failed", errorCause: "limit" });
    expect(target.errorMessage).toMatch(/Gold plan and above include/);
    expect(standIn.posts.some((p) => p.text === "Due after a downgrade to Silver")).toBe(false);
  });
});
