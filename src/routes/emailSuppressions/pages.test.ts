import { buildCustomer, buildMember, buildUser } from "../../../test/factories";
import { buildSendCampaign } from "../../../test/factoriesCampaignSends";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn } from "../../../test/support/customers";
import { postForm } from "../../../test/support/forms";
import type { Business } from "../../models";

/**
 * Suppressed e-mail addresses (issue 11): the list a marketer reads, lifting one after a
 * confirmation (written on the customer's timeline), and who may not.
 */
describe("suppressed e-mail addresses", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  let campaigns = 0;
  async function suppressed(business: Business, email: string, customerId: number | null) {
    campaigns += 1;
    const campaign = await buildSendCampaign(t.deps.models, business, {
      name: `Diwali Offer ${campaigns}`,
      channel: "email",
    });
    return t.deps.models.EmailSuppression.create({
      businessId: business.id,
      email,
      reason: "550 5.1.1 No such user",
      campaignId: campaign.id,
      customerId,
    });
  }

  it("says what suppression is when there is none, and where to go next", async () => {
    const { agent } = await ownerSignedIn(t, "enterprise");
    const page = await agent.get("/settings/email-suppressions").expect(200);
    expect(page.text).toContain("No address is suppressed.");
    expect(page.text).toContain('href="/campaigns"');
  });

  it("lists suppressions newest first, finds by part of the address, and lifts one after confirming", async () => {
    const { agent, business } = await ownerSignedIn(t, "enterprise");
    const asha = await buildCustomer(t.deps.models, business, { name: "Asha Rao" });
    const first = await suppressed(business, "asha@example.test", asha.id);
    await suppressed(business, "ravi@example.test", null);

    const list = await agent.get("/settings/email-suppressions").expect(200);
    expect(list.text.indexOf("ravi@example.test")).toBeLessThan(
      list.text.indexOf("asha@example.test"),
    );
    expect(list.text).toContain(`href="/customers/${asha.id}">Asha Rao</a>`);
    expect(list.text).toContain("550 5.1.1 No such user");
    const found = await agent.get("/settings/email-suppressions?q=ASHA").expect(200);
    expect(found.text).toContain("asha@example.test");
    expect(found.text).not.toContain("ravi@example.test");
    // A typed % is a character, not a wildcard.
    const none = await agent.get("/settings/email-suppressions?q=%25").expect(200);
    expect(none.text).toContain("No suppressed address matches");

    const confirm = await agent.get(`/settings/email-suppressions/${first.id}/delete`).expect(200);
    expect(confirm.text).toContain("Send marketing e-mail to asha@example.test again?");
    // Asked, not done: the address is still suppressed.
    expect(await t.deps.models.EmailSuppression.findByPk(first.id)).not.toBeNull();

    const lifted = await postForm(
      agent,
      `/settings/email-suppressions/${first.id}/delete`,
      `/settings/email-suppressions/${first.id}/delete`,
    );
    expect(lifted.status).toBe(302);
    expect(await t.deps.models.EmailSuppression.findByPk(first.id)).toBeNull();
    const events = await t.deps.models.TimelineEvent.findAll({
      where: { customerId: asha.id, kind: "email_unsuppressed" },
    });
    expect(events.map((e) => JSON.parse(e.details ?? "{}"))).toEqual([
      { email: "asha@example.test" },
    ]);
    const after = await agent.get("/settings/email-suppressions").expect(200);
    expect(after.text).toContain("asha@example.test will receive marketing e-mail again.");
    expect(after.text).not.toContain("asha@example.test</td>");
  });

  it("pages older suppressions by keyset", async () => {
    const { agent, business } = await ownerSignedIn(t, "enterprise");
    for (let i = 0; i < 51; i++) await suppressed(business, `p${i}@example.test`, null);
    const first = await agent.get("/settings/email-suppressions").expect(200);
    expect(first.text).toContain("p50@example.test");
    expect(first.text).not.toContain("p0@example.test<");
    // Handlebars writes "=" in attributes as &#x3D;, which a browser reads back as "=".
    const html = first.text.replace(/&#x3D;/g, "=");
    const older = /href="(\/settings\/email-suppressions\?before=\d+)"/.exec(html)?.[1];
    expect(older).toBeDefined();
    const second = await agent.get(older!).expect(200);
    expect(second.text).toContain("p0@example.test");
    expect(second.text).not.toContain("p50@example.test");
  });

  it("is not for members who do not run campaigns, nor for another business's suppression", async () => {
    const { business } = await ownerSignedIn(t, "enterprise");
    const row = await suppressed(business, "kept@example.test", null);
    const support = await buildUser(t.deps.models, { name: "Support Person" });
    await buildMember(t.deps.models, business, "support", support);
    const agent = await signedIn(t, support.email);
    await agent.get("/settings/email-suppressions").expect(403);

    const other = await ownerSignedIn(t, "enterprise");
    await other.agent.get(`/settings/email-suppressions/${row.id}/delete`).expect(404);
    const refused = await postForm(
      other.agent,
      "/settings/email-suppressions",
      `/settings/email-suppressions/${row.id}/delete`,
    );
    expect(refused.status).toBe(404);
    expect(await t.deps.models.EmailSuppression.findByPk(row.id)).not.toBeNull();
  });
});
