import { buildRecipient, buildSendCampaign } from "../../../test/factoriesCampaignSends";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn } from "../../../test/support/customers";
import {
  closeServer,
  listening,
  openEventStream,
  sessionCookie,
  type EventStream,
} from "../../../test/support/sse";
import { applyRecipientStatus } from "../../commands/campaigns/recipientStatus";
import { recordOutcomes } from "../../commands/campaigns/sending/record";
import { closeLiveNotifications } from "../../notifications/live";
import { businessScope } from "../../tenancy/scope";
import { systemContextFor } from "../../../test/support/deps";

jest.setTimeout(60_000);

interface LiveResults {
  state: string;
  done: number;
  total: number;
  progressPct: number;
  tiles: Array<{ status: string; count: number; note: string | null }>;
}

/** The results page's live updates (server-sent events) and its no-JavaScript fallback. */
describe("a campaign's live results", () => {
  let t: TestApp;
  let url: string;
  let server: Awaited<ReturnType<typeof listening>>["server"];
  const streams: EventStream[] = [];

  beforeAll(async () => {
    t = await buildTestApp();
    ({ url, server } = await listening(t.app));
  });
  afterAll(async () => {
    for (const stream of streams) stream.close();
    await closeServer(server);
    await closeLiveNotifications(t.deps.config);
    await t.close();
  });

  const results = async (stream: EventStream, timeoutMs: number) => {
    const event = await stream.next(timeoutMs);
    expect(event.event).toBe("results");
    const data = JSON.parse(event.data) as LiveResults;
    return { ...data, count: Object.fromEntries(data.tiles.map((x) => [x.status, x.count])) };
  };

  it("streams the counts, again at once when sends are recorded, on a webhook's status and when the campaign completes", async () => {
    const { agent, business, owner } = await ownerSignedIn(t);
    const campaign = await buildSendCampaign(t.deps.models, business, { sendState: "sending" });
    const rows = [];
    for (let i = 0; i < 3; i++) rows.push(await buildRecipient(t.deps.models, business, campaign));

    // The page: the stream's address for scripts, a refresh without them.
    const page = await agent.get(`/campaigns/${campaign.id}/results`).expect(200);
    expect(page.text).toContain(`data-live-results="/campaigns/${campaign.id}/results/live"`);
    expect(page.text).toMatch(/<noscript><meta http-equiv="refresh" content="5">/);
    expect(page.text).toContain("/js/campaignResultsLive.js");
    // Opened as a page, the stream's address goes to the results.
    const asPage = await agent.get(`/campaigns/${campaign.id}/results/live`).expect(302);
    expect(asPage.headers.location).toBe(`/campaigns/${campaign.id}/results`);

    const cookie = await sessionCookie(url, owner.email);
    const stream = await openEventStream(`${url}/campaigns/${campaign.id}/results/live`, cookie);
    streams.push(stream);
    expect(stream.response.headers["content-type"]).toMatch(/^text\/event-stream/);
    const first = await results(stream, 5000);
    expect(first).toMatchObject({ state: "sending", total: 3, done: 0, progressPct: 0 });
    expect(first.count).toMatchObject({ queued: 3, sent: 0 });

    // A worker records a send: the page hears of it within the second, not at the 5 s backstop.
    const row = rows[0]!;
    await row.update({ status: "sending" });
    const ctx = await systemContextFor(t.deps, business);
    await recordOutcomes(t.deps, ctx, campaign, [
      { row, outcome: { ok: true, providerMessageId: `wamid.live-${row.id}` } },
    ]);
    const second = await results(stream, 2500);
    expect(second).toMatchObject({ done: 1, progressPct: 33.3 });
    expect(second.count).toMatchObject({ queued: 2, sent: 1 });

    // A status webhook (no signal of its own): the next read, within 5 s, carries it.
    await applyRecipientStatus(t.deps, businessScope(business.id), {
      providerMessageId: `wamid.live-${row.id}`,
      status: "delivered",
      at: new Date(),
    });
    const third = await results(stream, 8000);
    expect(third.count).toMatchObject({ sent: 1, delivered: 1 });
    expect(third.tiles.find((x) => x.status === "delivered")?.note).toBe("100% of sent");

    // Completed: the state changes (the script reloads the page), which no longer refreshes.
    await campaign.update({ sendState: "completed" });
    const fourth = await results(stream, 8000);
    expect(fourth.state).toBe("completed");
    const done = await agent.get(`/campaigns/${campaign.id}/results`).expect(200);
    expect(done.text).not.toContain("data-live-results");
    expect(done.text).not.toContain('http-equiv="refresh"');
  });
});
