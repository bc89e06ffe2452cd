import { buildBusiness, buildMember, buildUser } from "../../../test/factories";
import { buildWebhookDelivery, buildWebhookEndpoint } from "../../../test/factoriesWebhooks";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn, type Agent } from "../../../test/support/customers";
import { contextFor } from "../../../test/support/deps";
import { csrfFrom } from "../../../test/support/forms";
import { waitFor } from "../../../test/support/processes";
import { startReceiver, type TestReceiver } from "../../../test/support/webhookReceiver";
import { createCustomer } from "../../commands/customers/writes";

async function post(agent: Agent, path: string, body: Record<string, unknown> = {}) {
  const csrf = csrfFrom(await agent.get("/settings/webhooks"));
  return agent
    .post(path)
    .type("form")
    .send({ _csrf: csrf, ...body });
}

const customerInput = (phone: string) => ({
  name: "Kavya Nair",
  email: "kavya@example.com",
  phoneE164: phone,
  whatsappE164: "",
  tags: [],
  consentAt: null,
  birthDate: null,
  anniversary: null,
  ownerId: null,
});

/** Issue 16 item 4: the pages owners and admins manage outbound webhooks with. */
describe("webhook settings pages (SSRF guard on)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ WEBHOOKS_ALLOW_PRIVATE_HOSTS: "false" });
  });
  afterAll(() => t.close());

  it("adds an endpoint, shows its secret, and refuses private, loopback and non-http URLs with the reason", async () => {
    const { agent, business } = await ownerSignedIn(t, "enterprise");
    await agent.get("/settings/webhooks").expect(200);
    const form = await agent.get("/settings/webhooks/new").expect(200);
    expect(form.text).toContain('value="customer.created"');
    expect(form.text).toMatch(
      /campaign\.completed<\/code>[^<]*<span[^>]*>[^<]*<\/span> <span[^>]*>coming/,
    );
    for (const url of [
      "http://localhost:8080/hook",
      "http://0x7f.1/hook",
      "http://[::ffff:127.0.0.1]/hook",
      "http://169.254.169.254/latest/meta-data",
      "http://10.0.0.8/",
      "ftp://files.example.com/",
    ]) {
      const refused = await post(agent, "/settings/webhooks", { url, events: "customer.created" });
      expect(refused.status).toBe(422);
      expect(refused.text).toMatch(/private, loopback|Only http/);
    }
    const noEvents = await post(agent, "/settings/webhooks", { url: "https://93.184.216.34/h" });
    expect(noEvents.status).toBe(422);
    expect(noEvents.text).toContain("Choose at least one event.");
    expect(await t.deps.models.WebhookEndpoint.count({ where: { businessId: business.id } })).toBe(
      0,
    );

    const saved = await post(agent, "/settings/webhooks", {
      url: "https://93.184.216.34/hooks",
      description: "Billing system",
      events: ["customer.created", "customer.deleted"],
    });
    expect(saved.status).toBe(302);
    const endpoint = await t.deps.models.WebhookEndpoint.findOne({
      where: { businessId: business.id },
    });
    expect(saved.headers.location).toBe(`/settings/webhooks/${endpoint!.id}`);
    expect(JSON.parse(endpoint!.events)).toEqual(["customer.created", "customer.deleted"]);
    const page = await agent.get(`/settings/webhooks/${endpoint!.id}`).expect(200);
    expect(page.text).toContain(endpoint!.secret);
    expect(endpoint!.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  });

  it("asks before deleting or making a new secret, and does neither without the confirmation", async () => {
    const { agent, business } = await ownerSignedIn(t, "enterprise");
    const endpoint = await buildWebhookEndpoint(t.deps.models, business);
    const link = `/settings/webhooks/${endpoint.id}`;
    const confirm = await agent.get(`${link}/delete`).expect(200);
    expect(confirm.text).toContain("Delete this endpoint?");
    expect((await post(agent, `${link}/delete`)).status).toBe(422);
    expect((await post(agent, `${link}/rotate`)).status).toBe(422);
    const secret = endpoint.secret;
    expect(await endpoint.reload()).toMatchObject({ secret });

    expect((await post(agent, `${link}/rotate`, { confirm: "yes" })).status).toBe(302);
    expect((await endpoint.reload()).secret).not.toBe(secret);
    // The old secret signs beside the new one for a day.
    expect(endpoint.previousSecret).toBe(secret);
    expect(endpoint.previousSecretUntil!.getTime() - Date.now()).toBeGreaterThan(23 * 3_600_000);
    expect((await post(agent, `${link}/disable`)).status).toBe(302);
    expect(await endpoint.reload()).toMatchObject({ enabled: false });
    expect((await agent.get(link)).text).toContain("data-disabled");
    expect((await post(agent, `${link}/enable`)).status).toBe(302);
    expect(await endpoint.reload()).toMatchObject({ enabled: true, disabledReason: null });
    expect((await post(agent, `${link}/delete`, { confirm: "yes" })).headers.location).toBe(
      "/settings/webhooks",
    );
    expect(await t.deps.models.WebhookEndpoint.findByPk(endpoint.id)).toBeNull();
  });

  it("is for owners and admins on a plan with webhooks, and never shows another business's endpoint", async () => {
    const { agent, business } = await ownerSignedIn(t, "enterprise");
    const models = t.deps.models;
    const { user: admin } = await buildMember(models, business, "admin");
    const { user: manager } = await buildMember(models, business, "manager");
    await (await signedIn(t, admin.email)).get("/settings/webhooks").expect(200);
    await (await signedIn(t, manager.email)).get("/settings/webhooks").expect(403);
    const small = await ownerSignedIn(t, "gold");
    expect((await small.agent.get("/settings/webhooks")).status).toBe(402);

    const otherOwner = await buildUser(models, { planCode: "enterprise" });
    const { business: other } = await buildBusiness(models, { owner: otherOwner });
    const theirs = await buildWebhookEndpoint(models, other);
    const { delivery } = await buildWebhookDelivery(t.deps, other, theirs);
    await agent.get(`/settings/webhooks/${theirs.id}`).expect(404);
    await agent.get(`/settings/webhooks/${theirs.id}/edit`).expect(404);
    expect(
      (await post(agent, `/settings/webhooks/${theirs.id}/delete`, { confirm: "yes" })).status,
    ).toBe(404);
    const mine = await buildWebhookEndpoint(models, business);
    await agent.get(`/settings/webhooks/${mine.id}/deliveries/${delivery.id}/replay`).expect(404);
    const list = await agent.get("/settings/webhooks").expect(200);
    expect(list.text).not.toContain(`data-endpoint="${theirs.id}"`);
  });
});

describe("webhook settings pages with a local receiver (private hosts allowed, as in tests)", () => {
  let t: TestApp;
  let receiver: TestReceiver;
  beforeAll(async () => {
    t = await buildTestApp({ WEBHOOKS_ALLOW_PRIVATE_HOSTS: "true" });
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver.close();
    await t.close();
  });

  it("delivers a new customer's event, logs it with status, code, time and attempts, and replays it after confirmation", async () => {
    const { agent, business, owner } = await ownerSignedIn(t, "enterprise");
    await post(agent, "/settings/webhooks", { url: receiver.url, events: "customer.created" });
    const endpoint = await t.deps.models.WebhookEndpoint.findOne({
      where: { businessId: business.id },
    });
    const ctx = await contextFor(t.deps, business, owner);
    await createCustomer(t.deps, ctx, customerInput("+919812345601"));
    await waitFor("the delivery", () => receiver.received.length === 1, { timeoutMs: 10_000 });
    const [delivery] = await t.deps.models.WebhookDelivery.findAll({
      where: { endpointId: endpoint!.id },
    });
    await waitFor(
      "the delivery's row",
      async () => (await delivery!.reload()).status === "delivered",
    );

    const link = `/settings/webhooks/${endpoint!.id}`;
    const page = await agent.get(link).expect(200);
    expect(page.text).toMatch(
      new RegExp(`data-delivery="${delivery!.id}"[\\s\\S]*?data-status="delivered"`),
    );
    expect(page.text).toMatch(/data-response>200</);
    expect(page.text).toMatch(/data-attempts>1</);
    const confirm = await agent.get(`${link}/deliveries/${delivery!.id}/replay`).expect(200);
    expect(confirm.text).toContain("Send this event again?");
    const replayed = await post(agent, `${link}/deliveries/${delivery!.id}/replay`, {
      confirm: "yes",
    });
    expect(replayed.headers.location).toBe(link);
    await waitFor("the replay", () => receiver.received.length === 2, { timeoutMs: 10_000 });
    const [first, second] = receiver.received;
    expect(second!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    expect(second!.body).toBe(first!.body);
    const replay = await t.deps.models.WebhookDelivery.findOne({
      where: { endpointId: endpoint!.id, replayOfId: delivery!.id },
    });
    await waitFor("the replay's row", async () => (await replay!.reload()).status === "delivered");
  });
});
