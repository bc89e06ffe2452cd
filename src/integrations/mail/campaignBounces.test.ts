import { buildBusiness, buildCustomer, buildUser, uniqueEmail } from "../../../test/factories";
import { buildCampaign } from "../../../test/factoriesCampaigns";
import { buildEmailChannel, buildEmailTemplate } from "../../../test/factoriesEmail";
import { useTestDatabase } from "../../../test/support/database";
import { useEmailCampaignWorld } from "../../../test/support/emailCampaigns";
import { systemContextFor } from "../../../test/support/deps";
import { maxAttempts } from "../../commands/campaigns/sending/record";
import { startSending } from "../../commands/campaigns/sending/dispatch";
import type { Customer } from "../../models";

const db = useTestDatabase();
jest.setTimeout(120_000);

/**
 * SMTP refusals as a campaign records them (issue 11, item 5: "SMTP rejections recorded as
 * failed/bounced"): a 5xx at RCPT TO or after DATA is the recipient's server refusing for good —
 * 'bounced' at once, never tried again; a 4xx is tried again with backoff and, when it never
 * clears, ends 'failed' with the server's reason, retryable.
 */
describe("an e-mail campaign meeting SMTP refusals", () => {
  const { world, sendAll } = useEmailCampaignWorld(db, "2030-04-01T09:00:00Z");

  it("bounces 5xx at RCPT TO and DATA at once; retries 4xx, then fails them with the reason", async () => {
    const owner = await buildUser(db.current.models, { planCode: "enterprise" });
    const { business } = await buildBusiness(db.current.models, { owner });
    await buildEmailChannel(db.current.models, business, { fromAddress: "news@shop.example.com" });
    const template = await buildEmailTemplate(db.current.models, business);
    const consentAt = new Date("2030-01-01T00:00:00Z");
    const customer = async (label: string) =>
      buildCustomer(db.current.models, business, { email: uniqueEmail(label), consentAt });
    const who: Record<string, Customer> = {
      fine: await customer("fine"),
      gone: await customer("gone"),
      spam: await customer("spam"),
      busy: await customer("busy"),
      grey: await customer("grey"),
    };
    const address = (c: Customer) => (c.email ?? "").toLowerCase();
    world.sink.refuse(address(who.gone!), 550, "rcpt");
    world.sink.refuse(address(who.spam!), 554, "data");
    world.sink.refuse(address(who.busy!), 451, "rcpt");
    world.sink.refuse(address(who.grey!), 450, "data");

    const campaign = await buildCampaign(db.current.models, business, {
      channel: "email",
      templateId: template.id,
      sendAudience: JSON.stringify({ kind: "all" }),
      consentRule: "consented_only",
    });
    const ctx = await systemContextFor(db.current, business);
    expect(await startSending(world.deps, ctx, campaign)).toBe(5);
    const rows = await sendAll(campaign);
    const of = (c: Customer) => rows.find((r) => r.customerId === c.id)!;

    expect(of(who.fine!)).toMatchObject({ status: "sent", attempts: 1 });
    expect(world.sink.to(address(who.fine!))).toHaveLength(1);

    expect(of(who.gone!)).toMatchObject({
      status: "bounced",
      errorCode: "550",
      errorReason: expect.stringMatching(/^Bounced: .*No such user/),
      retryable: false,
      attempts: 1,
    });
    expect(of(who.spam!)).toMatchObject({
      status: "bounced",
      errorCode: "554",
      errorReason: expect.stringMatching(/^Bounced: .*spam/),
      retryable: false,
      attempts: 1,
    });
    expect(world.sink.refusalsOf(address(who.gone!))).toBe(1);
    expect(world.sink.refusalsOf(address(who.spam!))).toBe(1);
    expect(world.sink.to(address(who.spam!))).toEqual([]);

    for (const [c, code, text] of [
      [who.busy!, "451", /try again later/],
      [who.grey!, "450", /Greylisted/],
    ] as const) {
      expect(of(c)).toMatchObject({
        status: "failed",
        errorCode: code,
        errorReason: expect.stringMatching(text),
        retryable: true,
        attempts: maxAttempts,
      });
      expect(world.sink.refusalsOf(address(c))).toBe(maxAttempts);
      expect(world.sink.to(address(c))).toEqual([]);
    }
  });
});
