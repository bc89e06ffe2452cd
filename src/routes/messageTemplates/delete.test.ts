import { buildCampaign } from "../../../test/factoriesCampaigns";
import { buildEmailTemplate } from "../../../test/factoriesEmail";
import { buildMessageTemplate } from "../../../test/factoriesMessaging";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, type Agent } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import type { MessageTemplate } from "../../models";

/**
 * Deleting templates (issue 11, item 2): confirmed first; refused — clearly, changing nothing —
 * while a campaign that may still send the template uses it; finished campaigns keep their results.
 */
describe("deleting a WhatsApp or e-mail template", () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  async function postDelete(agent: Agent, base: string) {
    const confirm = await agent.get(`${base}/delete`).expect(200);
    return agent
      .post(`${base}/delete`)
      .type("form")
      .send({ _csrf: csrfFrom(confirm) });
  }

  const exists = async (template: MessageTemplate) =>
    (await t.deps.models.MessageTemplate.count({ where: { id: template.id } })) === 1;

  for (const kind of ["whatsapp", "email"] as const) {
    it(`${kind}: refuses while a draft, scheduled, sending or paused campaign uses it, then deletes it once they are done`, async () => {
      const { agent, business } = await ownerSignedIn(t);
      const template =
        kind === "whatsapp"
          ? await buildMessageTemplate(t.deps.models, business, { status: "approved" })
          : await buildEmailTemplate(t.deps.models, business);
      const base =
        kind === "whatsapp"
          ? `/campaigns/templates/${template.id}`
          : `/email-templates/${template.id}`;
      const show = await agent.get(base).expect(200);
      expect(show.text).toContain(`href="${base}/delete"`);

      const campaigns = [];
      for (const sendState of ["draft", "scheduled", "sending", "paused"] as const)
        campaigns.push(
          await buildCampaign(t.deps.models, business, {
            name: `Uses it while ${sendState}`,
            channel: kind,
            templateId: template.id,
            sendState,
          }),
        );
      const finished = await buildCampaign(t.deps.models, business, {
        name: "Sent last month",
        channel: kind,
        templateId: template.id,
        sendState: "completed",
      });

      // The confirmation names what blocks it and offers no button.
      const confirm = await agent.get(`${base}/delete`).expect(200);
      expect(confirm.text).toContain("data-template-in-use");
      for (const c of campaigns) expect(confirm.text).toContain(`Uses it while ${c.sendState}`);
      expect(confirm.text).not.toContain("Sent last month");
      expect(confirm.text).not.toMatch(/<button class="btn btn-danger"/);

      // Posted anyway: refused, back on the template with the reason; nothing changed.
      const refused = await postDelete(agent, base);
      expect(refused.status).toBe(302);
      expect(refused.headers.location).toBe(base);
      const back = await agent.get(base).expect(200);
      expect(back.text).toContain("used by campaigns that may still send it");
      expect(back.text).toContain("Uses it while sending (sending)");
      expect(await exists(template)).toBe(true);

      // Each blocking campaign finished or cancelled: it goes, after its confirmation.
      for (const c of campaigns) await c.update({ sendState: "cancelled" });
      const ready = await agent.get(`${base}/delete`).expect(200);
      expect(ready.text).not.toContain("data-template-in-use");
      expect(ready.text).toMatch(/<button class="btn btn-danger" type="submit">Delete<\/button>/);
      if (kind === "whatsapp") expect(ready.text).toContain("Meta keeps its copy");
      const deleted = await postDelete(agent, base);
      expect(deleted.status).toBe(302);
      expect(deleted.headers.location).toBe(
        kind === "whatsapp" ? "/campaigns/templates?channel=whatsapp" : "/email-templates",
      );
      expect(await exists(template)).toBe(false);
      expect(await finished.reload()).toMatchObject({ sendState: "completed" });
      await agent.get(base).expect(404);
    });
  }

  it("another business's template is not found, and stays", async () => {
    const { agent } = await ownerSignedIn(t);
    const { business: other } = await ownerSignedIn(t);
    const theirs = await buildEmailTemplate(t.deps.models, other);
    await agent.get(`/email-templates/${theirs.id}/delete`).expect(404);
    expect(await exists(theirs)).toBe(true);
  });
});
