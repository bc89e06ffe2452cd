import { useTestDatabase } from "../../../test/support/database";
import { contextFor, testDeps } from "../../../test/support/deps";
import { buildBusiness, buildMember, buildUser } from "../../../test/factories";
import { buildForm } from "../../../test/factoriesForms";
import { buildWebhookEndpoint } from "../../../test/factoriesWebhooks";
import { InProcessQueue } from "../../jobs/inProcessQueue";
import type { JobQueue } from "../../jobs/queue";
import { createLogger } from "../../logger";
import { FakeClock } from "../../lib/clock";
import type { Business, Form, User } from "../../models";
import type { Deps } from "../../deps";
import { saveAssignmentSettings } from "../leads/roundRobinSettings";
import { issueFormToken } from "./spam";
import { loadTenantContext } from "../../tenancy/loader";
import { publicForm, type PublicForm } from "./formCache";
import { followUpSubmission } from "./followUp";
import { submitForm } from "./submit";

const db = useTestDatabase();

describe("form submissions (commands)", () => {
  const clock = new FakeClock("2026-12-02T05:00:00Z");
  let queue: JobQueue;
  let deps: Deps;
  let business: Business;
  let owner: User;

  beforeAll(async () => {
    queue = new InProcessQueue(createLogger("silent"), clock);
    deps = testDeps(db.current, { queue, clock });
    owner = await buildUser(db.current.models, { planCode: "enterprise" });
    ({ business } = await buildBusiness(db.current.models, { owner, name: "Form Works" }));
  });
  afterAll(() => queue.close());

  /** What the public page hands the command: the published form and its business. */
  async function published(form: Form): Promise<PublicForm> {
    const found = await publicForm(deps, form.slug);
    if (!found) throw new Error("form not published");
    return found;
  }

  /** A POST's command and then its follow-up job, as the worker would run it. */
  async function send(form: Form, answers: Record<string, string>) {
    const result = await submitForm(deps, await published(form), body(form, answers));
    if (result.kind === "accepted") await followUp(result.submission.id);
    return result;
  }

  async function followUp(submissionId: number) {
    const ctx = await loadTenantContext(deps, { businessId: business.id, userId: null });
    await followUpSubmission(deps, ctx!, submissionId);
  }

  /** A visitor's body: a token issued 10 s ago, the honeypot empty, and the answers. */
  const body = (form: Form, answers: Record<string, string>) => ({
    _form_token: issueFormToken(deps.config, form.id, new Date(clock.nowMs() - 10_000)),
    company_website: "",
    ...answers,
  });

  it("hands new leads out in turn when the form says round-robin", async () => {
    const members: User[] = [];
    for (const name of ["Asha", "Bala"]) {
      const user = await buildUser(db.current.models, { name });
      await buildMember(db.current.models, business, "sales", user);
      members.push(user);
    }
    await saveAssignmentSettings(deps, await contextFor(db.current, business, owner), {
      enabled: true,
      chosen: members.map((m) => m.id),
      available: members.map((m) => m.id),
    });
    const form = await buildForm(db.current.models, business, { assignment: "round_robin" });
    const owners: (number | null)[] = [];
    for (let i = 0; i < 4; i += 1) {
      const result = await send(form, { f1: `Visitor ${i}`, f2: `rr${i}@example.test` });
      expect(result.kind).toBe("accepted");
      const lead = await db.current.models.Lead.findOne({
        where: { businessId: business.id, email: `rr${i}@example.test` },
      });
      owners.push(lead?.ownerId ?? null);
    }
    const ids = members.map((m) => m.id);
    expect(owners).toEqual([ids[0], ids[1], ids[0], ids[1]]);
    const notified = await db.current.models.Notification.count({ where: { userId: ids[0] } });
    expect(notified).toBe(2);
  });

  it("publishes form.submitted from the follow-up for subscribed endpoints", async () => {
    await buildWebhookEndpoint(db.current.models, business, { events: ["form.submitted"] });
    const form = await buildForm(db.current.models, business);
    const result = await send(form, { f1: "Hook Person", f2: "hook@example.test", f4: "Hi" });
    expect(result.kind).toBe("accepted");
    const events = await db.current.models.WebhookEvent.findAll({
      where: { businessId: business.id, type: "form.submitted" },
    });
    expect(events).toHaveLength(1);
    const sent = JSON.parse(events[0]?.body ?? "{}") as { data?: Record<string, unknown> };
    const payload = sent.data;
    expect(payload).toMatchObject({
      form: { id: form.id, title: "Book a free demo" },
      outcome: "created_lead",
    });
    expect(JSON.stringify(payload)).toContain("hook@example.test");
  });

  it("attaches the second of two simultaneous submissions of one person instead of failing", async () => {
    const form = await buildForm(db.current.models, business);
    const answers = { f1: "Twin Visitor", f2: "twin@example.test" };
    const target = await published(form);
    const results = await Promise.all([
      submitForm(deps, target, body(form, answers)),
      submitForm(deps, target, body(form, answers)),
    ]);
    expect(results.map((r) => r.kind)).toEqual(["accepted", "accepted"]);
    // Both saved as received: nothing is decided while the visitor waits.
    const received = await db.current.models.FormSubmission.findAll({ where: { formId: form.id } });
    expect(received.map((s) => [s.outcome, s.leadId])).toEqual([
      ["received", null],
      ["received", null],
    ]);
    expect(
      await db.current.models.Lead.count({
        where: { businessId: business.id, email: "twin@example.test" },
      }),
    ).toBe(0);
    // Their follow-ups at the same time: one makes the lead, the other attaches to it.
    await Promise.all(
      results.map((r) => (r.kind === "accepted" ? followUp(r.submission.id) : null)),
    );
    expect(
      await db.current.models.Lead.count({
        where: { businessId: business.id, email: "twin@example.test" },
      }),
    ).toBe(1);
    const outcomes = await db.current.models.FormSubmission.findAll({ where: { formId: form.id } });
    expect(outcomes.map((s) => s.outcome).sort()).toEqual(["attached_lead", "created_lead"]);
    const lead = await db.current.models.Lead.findOne({
      where: { businessId: business.id, email: "twin@example.test" },
    });
    expect(outcomes.map((s) => s.leadId)).toEqual([lead?.id, lead?.id]);
  });

  it("opens a web_form ticket for a support form", async () => {
    const form = await buildForm(db.current.models, business, {
      kind: "support",
      title: "Get help",
      fields: [
        {
          key: "f1",
          type: "text",
          label: "Your name",
          helpText: null,
          required: true,
          options: [],
          target: "fullName",
        },
        {
          key: "f2",
          type: "email",
          label: "E-mail",
          helpText: null,
          required: true,
          options: [],
          target: "",
        },
        {
          key: "f4",
          type: "textarea",
          label: "What do you need help with?",
          helpText: null,
          required: true,
          options: [],
          target: "",
        },
      ],
    });
    const result = await send(form, {
      f1: "Sneha Kulkarni",
      f2: "sneha@creativesutra.com",
      f4: "The invoice PDF is blank.",
    });
    expect(result.kind).toBe("accepted");
    const ticket = await db.current.models.Ticket.findOne({
      where: { businessId: business.id, channel: "web_form" },
    });
    expect(ticket?.subject).toBe("Get help: Sneha Kulkarni");
    const message = await db.current.models.TicketMessage.findOne({
      where: { ticketId: ticket?.id },
    });
    expect(message?.body).toContain("What do you need help with?: The invoice PDF is blank.");
    const submission = await db.current.models.FormSubmission.findOne({
      where: { formId: form.id },
    });
    expect(submission).toMatchObject({ outcome: "ticket", ticketId: ticket?.id, leadId: null });
    expect(
      await db.current.models.Lead.count({
        where: { businessId: business.id, email: "sneha@creativesutra.com" },
      }),
    ).toBe(0);
  });
});
