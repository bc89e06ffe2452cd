import { buildMember } from "../../../test/factories";
import { buildRecipient, buildSendCampaign } from "../../../test/factoriesCampaignSends";
import { buildSocialAccount } from "../../../test/factoriesSocial";
import { buildSocialPost } from "../../../test/factoriesSocialPosts";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn } from "../../../test/support/customers";
import { FakeClock } from "../../lib/clock";
import type { RecipientStatus } from "../../models/CampaignRecipient";

// Wednesday 2 December 2026, 11:30 in Kolkata.
const clock = new FakeClock("2026-12-02T06:00:00Z");

/** The dashboard's marketing cards: the last campaign's send results and scheduled posts. */
describe("dashboard marketing cards", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
  });
  afterAll(() => t.close());

  /** One card's markup, with "=" in links as a browser reads it (Handlebars writes &#x3D;). */
  const card = (page: string, key: string) => {
    const html = page.replace(/&#x3D;/g, "=");
    const start = html.indexOf(`data-card="${key}"`);
    if (start < 0) return null;
    return html.slice(start, html.indexOf("</section>", start));
  };
  const squash = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

  it("shows the last sent campaign's counts with rates, linking to its results", async () => {
    const { agent, business } = await ownerSignedIn(t, "gold");
    await buildSendCampaign(t.deps.models, business, {
      name: "Older Send",
      sendState: "completed",
      sendStartedAt: new Date("2026-11-01T06:00:00Z"),
    });
    const diwali = await buildSendCampaign(t.deps.models, business, {
      name: "Diwali Offer",
      sendState: "completed",
      sendStartedAt: new Date("2026-11-20T06:00:00Z"),
    });
    // 10 recipients: 8 reached (5 delivered, 2 read, 1 only sent), 2 failed.
    const statuses: RecipientStatus[] = [
      ...Array<RecipientStatus>(5).fill("delivered"),
      "read",
      "read",
      "sent",
      "failed",
      "failed",
    ];
    for (const status of statuses)
      await buildRecipient(t.deps.models, business, diwali, { status });

    const res = await agent.get("/").expect(200);
    const campaign = card(res.text, "campaign")!;
    expect(campaign).toContain("Campaign: Diwali Offer");
    expect(campaign).toMatch(/data-slot="badge">Completed</);
    const text = squash(campaign);
    expect(text).toContain("8 sent · 80%");
    expect(text).toContain("7 delivered · 87.5%");
    expect(text).toContain("2 read · 25%");
    expect(text).toContain("2 failed · 20%");
    expect(campaign).toContain(`href="/campaigns/${diwali.id}/results?status=failed"`);
    expect(campaign).toMatch(
      new RegExp(`href="/campaigns/${diwali.id}/results">See the results</a>`),
    );
    // What it brought in stays on the card.
    expect(text).toContain("0 leads");
  });

  it("lists the next scheduled posts with their networks, linking to the filtered list", async () => {
    const { agent, business } = await ownerSignedIn(t, "gold");
    const key = t.deps.config.secretsKey;
    const li = await buildSocialAccount(t.deps.models, business, key, "linkedin");
    const x = await buildSocialAccount(t.deps.models, business, key, "x");
    const at = (iso: string) => new Date(iso);
    await buildSocialPost(t.deps.models, business, [li], {
      text: "Third in line",
      scheduledAt: at("2026-12-09T04:30:00Z"),
    });
    await buildSocialPost(t.deps.models, business, [li, x], {
      text: "First: Diwali greetings\nwith a second line",
      scheduledAt: at("2026-12-03T04:30:00Z"),
    });
    await buildSocialPost(t.deps.models, business, [x], {
      text: "Second post",
      scheduledAt: at("2026-12-05T04:30:00Z"),
    });
    await buildSocialPost(t.deps.models, business, [x], {
      text: "Fourth, not named",
      scheduledAt: at("2026-12-20T04:30:00Z"),
    });
    await buildSocialPost(t.deps.models, business, [x], { text: "A draft" });
    await buildSocialPost(t.deps.models, business, [x], {
      text: "Already out",
      status: "published",
      scheduledAt: at("2026-12-01T04:30:00Z"),
    });

    const res = await agent.get("/").expect(200);
    const social = card(res.text, "social")!;
    expect(social).toMatch(/href="\/social\?status=scheduled"><span[^>]*>4<\/span>/);
    const names = [...social.matchAll(/href="\/social\/posts\/\d+">([^<]*)</g)].map((m) => m[1]);
    expect(names).toEqual(["First: Diwali greetings", "Second post", "Third in line"]);
    // Times in the business's zone (Kolkata), then the networks.
    expect(squash(social)).toContain("3 Dec 2026, 10:00 · LinkedIn · X");
    expect(social).toContain("See them all");
    expect(social).not.toContain("Already out");
    expect(res.text).toContain('href="/social/posts/new"');
  });

  it("says what to do next when nothing was sent or scheduled", async () => {
    const { agent } = await ownerSignedIn(t, "gold");
    const res = await agent.get("/").expect(200);
    expect(squash(card(res.text, "social")!)).toContain("Nothing scheduled.");
    expect(card(res.text, "social")).toContain('href="/social/posts/new">Schedule a post</a>');
    expect(card(res.text, "campaign")).toContain("No campaign has run yet.");
  });

  it("shows a plan without them the plan that unlocks each card; a role without them nothing", async () => {
    const free = await ownerSignedIn(t, "free");
    let res = await free.agent.get("/").expect(200);
    expect(card(res.text, "campaign")).toMatch(/data-locked="Silver"/);
    expect(card(res.text, "campaign")).toContain("The Silver plan and above include Campaigns");
    expect(card(res.text, "social")).toMatch(/data-locked="Gold"/);
    expect(card(res.text, "social")).toContain('href="/pricing/gold#feature-social">See the plans');

    const silver = await ownerSignedIn(t, "silver");
    res = await silver.agent.get("/").expect(200);
    expect(card(res.text, "campaign")).not.toContain("data-locked");
    expect(card(res.text, "social")).toMatch(/data-locked="Gold"/);

    const { business } = await ownerSignedIn(t, "gold");
    const { user: seller } = await buildMember(t.deps.models, business, "sales");
    res = await (await signedIn(t, seller.email)).get("/").expect(200);
    expect(card(res.text, "campaign")).toBeNull();
    expect(card(res.text, "social")).toBeNull();
  });
});
