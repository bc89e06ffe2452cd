import request from "supertest";
import { buildBusiness, buildCustomer, buildUser, uniqueEmail } from "../../../test/factories";
import { buildEmailRecipient } from "../../../test/factoriesEmail";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { signToken, trackingLinks } from "../../commands/tracking/tokens";
import { FakeClock } from "../../lib/clock";
import type { Business, CampaignRecipient, Customer } from "../../models";

const clock = new FakeClock("2030-03-01T09:00:00Z");
const browser =
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36";
const destination = "https://shop.example.com/sale?x=1&y=2";

describe("e-mail tracking: open pixel, click redirect, one-click unsubscribe", () => {
  let t: TestApp;
  let business: Business;
  let other: Business;

  beforeAll(async () => {
    t = await buildTestApp({}, { clock });
    const owner = await buildUser(t.deps.models, { planCode: "enterprise" });
    ({ business } = await buildBusiness(t.deps.models, { owner }));
    ({ business: other } = await buildBusiness(t.deps.models));
  });
  afterAll(() => t.close());

  /** A customer who was sent a campaign e-mail a minute ago, and the links it carried. */
  async function sentTo(b: Business = business) {
    const customer = await buildCustomer(t.deps.models, b, { email: uniqueEmail("reader") });
    const recipient = await buildEmailRecipient(t.deps.models, b, customer, {
      sentAt: new Date(clock.nowMs() - 60_000),
    });
    const links = trackingLinks(t.deps.config.APP_URL, t.deps.config.secretsKey, {
      businessId: b.id,
      customerId: customer.id,
      recipientId: recipient.id,
    });
    const path = (url: string) => url.slice(t.deps.config.APP_URL.replace(/\/+$/, "").length);
    return {
      customer,
      recipient,
      pixel: path(links.openPixelUrl),
      click: path(links.clickUrl(destination)),
      unsubscribe: path(links.unsubscribeUrl),
    };
  }

  const reload = (recipient: CampaignRecipient) => recipient.reload();
  const timelineOf = (customer: Customer) =>
    t.deps.models.TimelineEvent.findAll({
      where: { businessId: customer.businessId, customerId: customer.id },
      order: [["id", "ASC"]],
    });

  it("records the first open once, with one timeline entry, and always answers the GIF", async () => {
    const { customer, recipient, pixel } = await sentTo();
    const first = await request(t.app).get(pixel).set("User-Agent", browser).expect(200);
    expect(first.headers["content-type"]).toBe("image/gif");
    expect(first.headers["cache-control"]).toContain("no-store");
    expect(first.body).toBeInstanceOf(Buffer);
    await reload(recipient);
    expect(recipient.openedAt?.toISOString()).toBe(clock.now().toISOString());

    await clock.advance(3_600_000);
    await request(t.app).get(pixel).set("User-Agent", browser).expect(200);
    await reload(recipient);
    expect(recipient.openedAt?.toISOString()).toBe("2030-03-01T09:00:00.000Z");
    const events = await timelineOf(customer);
    expect(events.map((e) => e.kind)).toEqual(["email_opened"]);
  });

  it("answers 404 to an altered token and records nothing", async () => {
    const { customer, recipient, pixel, click } = await sentTo();
    const flip = (path: string, at: number) =>
      path.slice(0, at) + (path[at] === "A" ? "B" : "A") + path.slice(at + 1);
    const signatureAt = pixel.indexOf(".") + 3;
    await request(t.app).get(flip(pixel, signatureAt)).set("User-Agent", browser).expect(404);
    // Another customer's id with this token's signature.
    const otherCustomer = pixel.replace(
      `-${customer.id.toString(36)}-`,
      `-${(customer.id + 1).toString(36)}-`,
    );
    await request(t.app).get(otherCustomer).set("User-Agent", browser).expect(404);
    // The click token made for one URL does not redirect anywhere else: no open redirect.
    const elsewhere = click.replace(/\?u=.*$/, `?u=${encodeURIComponent("https://evil.example")}`);
    const refused = await request(t.app).get(elsewhere).set("User-Agent", browser).expect(404);
    expect(refused.headers.location).toBeUndefined();
    await request(t.app)
      .get(click.replace(/\?u=.*$/, ""))
      .expect(404);
    // A pixel token is not an unsubscribe token.
    const asUnsubscribe = `/u/${pixel.slice("/t/o/".length, -".gif".length)}`;
    await request(t.app).post(asUnsubscribe).type("form").send("List-Unsubscribe=One-Click");
    await reload(recipient);
    await customer.reload();
    expect(recipient.openedAt).toBeNull();
    expect(recipient.clickedAt).toBeNull();
    expect(customer.marketingOptedOutAt).toBeNull();
    expect(await timelineOf(customer)).toEqual([]);
  });

  it("does not count scanners, HEAD requests or hits within 2 seconds of the send", async () => {
    const { recipient, pixel, click } = await sentTo();
    await request(t.app).head(pixel).set("User-Agent", browser).expect(200);
    await request(t.app).get(pixel).set("User-Agent", "Barracuda Sentinel (EE)").expect(200);
    await request(t.app).get(pixel).set("User-Agent", "python-requests/2.32").expect(200);
    await request(t.app).get(pixel).set("User-Agent", "").expect(200);
    // A gateway's link check still gets the redirect; it just does not count.
    const scanned = await request(t.app)
      .get(click)
      .set("User-Agent", "Mozilla/5.0 (compatible; Proofpoint URL Defense)")
      .expect(302);
    expect(scanned.headers.location).toBe(destination);
    await reload(recipient);
    expect(recipient.openedAt).toBeNull();
    expect(recipient.clickedAt).toBeNull();

    const fresh = await sentTo();
    // Whole seconds: MariaDB keeps DATETIME without fractions.
    await fresh.recipient.update({ sentAt: new Date(clock.nowMs() - 1000) });
    await request(t.app).get(fresh.click).set("User-Agent", browser).expect(302);
    await reload(fresh.recipient);
    expect(fresh.recipient.clickedAt).toBeNull();
  });

  it("counts Gmail's image proxy as the person's open", async () => {
    const { recipient, pixel } = await sentTo();
    await request(t.app)
      .get(pixel)
      .set(
        "User-Agent",
        "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)",
      )
      .expect(200);
    await reload(recipient);
    expect(recipient.openedAt).not.toBeNull();
  });

  it("redirects a click to its URL and records the first click (and the open it implies)", async () => {
    const { customer, recipient, click } = await sentTo();
    const res = await request(t.app).get(click).set("User-Agent", browser).expect(302);
    expect(res.headers.location).toBe(destination);
    await request(t.app).get(click).set("User-Agent", browser).expect(302);
    await reload(recipient);
    expect(recipient.clickedAt).not.toBeNull();
    expect(recipient.openedAt).not.toBeNull();
    const events = await timelineOf(customer);
    expect(events.map((e) => e.kind)).toEqual(["email_opened", "email_clicked"]);
    expect(JSON.parse(events[1]?.details ?? "{}")).toMatchObject({ url: destination });
  });

  it("opts out with RFC 8058's one-click POST: no session, no CSRF token", async () => {
    const { customer, unsubscribe } = await sentTo();
    const queued = await buildEmailRecipient(t.deps.models, business, customer, {
      status: "queued",
    });
    const res = await request(t.app)
      .post(unsubscribe)
      .type("form")
      .send("List-Unsubscribe=One-Click")
      .expect(200);
    expect(res.text).toContain("You are unsubscribed");
    await customer.reload();
    expect(customer.marketingOptedOutAt?.toISOString()).toBe(clock.now().toISOString());
    expect(customer.marketingOptOutReason).toBe("One-click unsubscribe (e-mail)");
    await queued.reload();
    expect(queued.status).toBe("opted_out");
    // Twice is harmless: one timeline entry.
    await request(t.app).post(unsubscribe).type("form").send("List-Unsubscribe=One-Click");
    const kinds = (await timelineOf(customer)).map((e) => e.kind);
    expect(kinds.filter((k) => k === "marketing_opted_out")).toHaveLength(1);
  });

  it("takes the one-click body as multipart/form-data too", async () => {
    const { customer, unsubscribe } = await sentTo();
    await request(t.app).post(unsubscribe).field("List-Unsubscribe", "One-Click").expect(200);
    await customer.reload();
    expect(customer.marketingOptedOutAt).not.toBeNull();
  });

  it("shows a confirm page on GET (which changes nothing), and the button opts out", async () => {
    const { customer, unsubscribe } = await sentTo();
    const page = await request(t.app).get(unsubscribe).expect(200);
    expect(page.text).toContain(`action="${unsubscribe}"`);
    expect(page.text).toContain(business.name);
    await customer.reload();
    expect(customer.marketingOptedOutAt).toBeNull();
    await request(t.app).post(unsubscribe).type("form").send("").expect(200);
    await customer.reload();
    expect(customer.marketingOptedOutAt).not.toBeNull();
  });

  it("a token never acts on another business's rows, even when validly signed", async () => {
    const victim = await sentTo(other);
    // Signed for `business`, naming the other business's recipient and customer ids.
    const sign = (kind: "o" | "c" | "u", url = "") =>
      signToken(
        t.deps.config.secretsKey,
        {
          kind,
          businessId: business.id,
          customerId: victim.customer.id,
          recipientId: victim.recipient.id,
        },
        url,
      );
    await request(t.app)
      .get(`/t/o/${sign("o")}.gif`)
      .set("User-Agent", browser)
      .expect(200);
    await request(t.app)
      .get(`/t/c/${sign("c", destination)}?u=${encodeURIComponent(destination)}`)
      .set("User-Agent", browser)
      .expect(302);
    await request(t.app)
      .post(`/u/${sign("u")}`)
      .type("form")
      .send("List-Unsubscribe=One-Click");
    await reload(victim.recipient);
    await victim.customer.reload();
    expect(victim.recipient.openedAt).toBeNull();
    expect(victim.recipient.clickedAt).toBeNull();
    expect(victim.customer.marketingOptedOutAt).toBeNull();
    expect(await timelineOf(victim.customer)).toEqual([]);
  });

  it("a test message's links record nothing and unsubscribe nobody", async () => {
    const customer = await buildCustomer(t.deps.models, business, { email: uniqueEmail("t") });
    const token = signToken(t.deps.config.secretsKey, {
      kind: "u",
      businessId: business.id,
      customerId: customer.id,
      recipientId: 0,
    });
    const page = await request(t.app).get(`/u/${token}`).expect(200);
    expect(page.text).toContain("test message");
    const done = await request(t.app).post(`/u/${token}`).type("form").send("").expect(200);
    expect(done.text).toContain("nobody was unsubscribed");
    await customer.reload();
    expect(customer.marketingOptedOutAt).toBeNull();
  });
});
