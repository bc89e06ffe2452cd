import { buildSocialAccount } from "../../../test/factoriesSocial";
import { buildSocialPost } from "../../../test/factoriesSocialPosts";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, type Agent } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import { FakeClock } from "../../lib/clock";
import type { Business } from "../../models";

const clock = new FakeClock("2026-11-01T04:30:00Z");
const png = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
  "hex",
);

describe("social pages", () => {
  let t: TestApp;
  let business: Business;
  let agent: Agent;

  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
    ({ business, agent } = await ownerSignedIn(t, "gold"));
  });
  afterAll(() => t.close());

  it("says how to start, and each page answers on an empty business", async () => {
    const list = await agent.get("/social").expect(200);
    expect(list.text).toContain("No posts yet.");
    expect(list.text).toContain('href="/social"');
    for (const path of [
      "/social/posts/new",
      "/social/calendar",
      "/social/calendar?view=week",
      "/social/templates",
      "/social/media",
    ])
      await agent.get(path).expect(200);
    const templates = await agent.get("/social/templates").expect(200);
    for (const name of [
      "Diwali",
      "Holi",
      "Eid al-Fitr",
      "Christmas",
      "Republic Day",
      "Onam",
      "Pongal",
      "Black Friday",
    ])
      expect(templates.text).toContain(name);
    // "Use this template": the occasion's picture goes into the library and is chosen for the post.
    const used = await agent
      .post("/social/templates/diwali/use")
      .type("form")
      .send({ _csrf: csrfFrom(templates) })
      .expect(302);
    const [picture] = await t.deps.models.SocialMedia.findAll({
      where: { businessId: business.id },
    });
    expect(picture).toMatchObject({ mimeType: "image/jpeg", width: 1080, height: 1080 });
    expect(used.headers.location).toContain(`mediaId=${picture!.id}`);
    const composer = await agent.get(used.headers.location!).expect(200);
    expect(composer.text).toMatch(
      new RegExp(`value="${picture!.id}" id="media-${picture!.id}" checked`),
    );
    await picture!.destroy();
    const calendar = await agent.get("/social/calendar?date=2026-11-01").expect(200);
    expect(calendar.text).toContain("Diwali"); // 8 Nov 2026, on the grid and among the upcoming
  });

  it("schedules a post in the business's time zone with a picture, refuses an over-long X text, and shows the history", async () => {
    const x = await buildSocialAccount(t.deps.models, business, t.deps.config.secretsKey, "x");
    const li = await buildSocialAccount(
      t.deps.models,
      business,
      t.deps.config.secretsKey,
      "linkedin",
    );
    const media = await agent.get("/social/media").expect(200);
    await agent
      .post("/social/media")
      .field("_csrf", csrfFrom(media))
      .attach("file", png, { filename: "card.png", contentType: "image/png" })
      .expect(302);
    const [stored] = await t.deps.models.SocialMedia.findAll({
      where: { businessId: business.id },
    });
    expect(stored).toMatchObject({ mimeType: "image/png", width: 1, height: 1 });
    const form = await agent.get("/social/posts/new?template=diwali").expect(200);
    expect(form.text).toContain("Happy Diwali!");
    const tooLong = await agent
      .post("/social/posts")
      .type("form")
      .send({
        _csrf: csrfFrom(form),
        text: "a".repeat(300),
        accountIds: [String(x.id)],
        intent: "now",
      })
      .expect(422);
    expect(tooLong.text).toContain("280 characters");
    const created = await agent
      .post("/social/posts")
      .type("form")
      .send({
        _csrf: csrfFrom(form),
        text: "Happy Diwali!",
        accountIds: [String(x.id), String(li.id)],
        [`variant_${x.id}`]: "Diwali wishes 🪔",
        mediaId: String(stored!.id),
        templateId: "diwali",
        intent: "schedule",
        scheduledAt: "2026-11-08T09:00",
      })
      .expect(302);
    const [post] = await t.deps.models.SocialPost.findAll({ where: { businessId: business.id } });
    expect(created.headers.location).toBe(`/social/posts/${post!.id}`);
    expect(post!.scheduledAt!.toISOString()).toBe("2026-11-08T03:30:00.000Z");
    const page = await agent.get(`/social/posts/${post!.id}`).expect(200);
    expect(page.text).toContain("Diwali wishes 🪔");
    expect(page.text).toMatch(/data-audit-action="Scheduled"/);
    expect(page.text).toMatch(/data-audit-action="Created"/);

    // Dragged on the calendar to the 9th: the reschedule form keeps the time.
    const calendar = await agent.get("/social/calendar?date=2026-11-08").expect(200);
    expect(calendar.text).toContain(`data-post-id="${post!.id}"`);
    await agent
      .post(`/social/posts/${post!.id}/reschedule`)
      .type("form")
      .send({
        _csrf: csrfFrom(calendar),
        scheduledAt: "2026-11-09T09:00",
        back: "calendar",
        view: "month",
      })
      .expect(302);
    await post!.reload();
    expect(post!.scheduledAt!.toISOString()).toBe("2026-11-09T03:30:00.000Z");
  });

  it("shows a failed network's cause and fix on the post, and answers 404 for another business's post", async () => {
    const li = await buildSocialAccount(
      t.deps.models,
      business,
      t.deps.config.secretsKey,
      "linkedin",
    );
    const post = await buildSocialPost(t.deps.models, business, [li], {
      status: "failed",
      now: clock.now(),
    });
    await t.deps.models.SocialPostTarget.update(
      {
        status: "failed",
        errorCause: "authentication",
        errorMessage: "LinkedIn refused the token.",
        errorFix: "Reconnect the account.",
      },
      { where: { postId: post.id } },
    );
    const page = await agent.get(`/social/posts/${post.id}`).expect(200);
    expect(page.text).toContain("Sign-in problem");
    expect(page.text).toContain("Reconnect the account.");
    expect(page.text).toContain("Retry failed networks");
    const other = await ownerSignedIn(t, "gold");
    await other.agent.get(`/social/posts/${post.id}`).expect(404);
  });
});
