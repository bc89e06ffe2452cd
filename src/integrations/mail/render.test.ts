import { createRenderer } from "./render";
import { mailTemplates, type MailTemplate, type OutgoingMail } from "./types";

const render = createRenderer({ appUrl: "https://crm.example.test", cache: false });

const samples: Record<
  MailTemplate,
  { data: OutgoingMail["data"]; subject: string; shows: string[] }
> = {
  activation: {
    data: { name: "Asha Rao", link: "https://crm.example.test/activate/tok-activation" },
    subject: "Activate your CRM account",
    shows: ["Asha Rao"],
  },
  "password-reset": {
    data: { name: "Asha Rao", link: "https://crm.example.test/password/reset/tok-reset" },
    subject: "Reset your CRM password",
    shows: ["Asha Rao"],
  },
  "password-changed": {
    data: { name: "Asha Rao", time: "2026-11-22T10:15:00.000Z" },
    subject: "Your CRM password was changed",
    shows: ["Asha Rao", "22 November 2026", "10:15 UTC"],
  },
  "email-change": {
    data: {
      name: "Asha Rao",
      newEmail: "asha.new@example.test",
      link: "https://crm.example.test/email/confirm/tok-change",
    },
    subject: "Confirm your new e-mail address",
    shows: ["Asha Rao", "asha.new@example.test"],
  },
  invitation: {
    data: {
      inviterName: "Vikram Shah",
      businessName: "Shah Traders",
      role: "sales",
      link: "https://crm.example.test/invitations/tok-invite",
    },
    subject: "Vikram Shah invited you to Shah Traders on CRM",
    shows: ["Vikram Shah", "Shah Traders", "sales"],
  },
  "task-due": {
    data: {
      name: "Asha Rao",
      title: "Call back about the quote",
      due: "22 Nov 2026, 10:30 (Asia/Kolkata)",
      businessName: "Shah Traders",
      customerName: "Meera Iyer",
      link: "https://crm.example.test/tasks/42",
    },
    subject: "Task due: Call back about the quote",
    shows: ["Asha Rao", "Call back about the quote", "22 Nov 2026, 10:30", "Meera Iyer"],
  },
  "ticket-reply": {
    data: {
      businessName: "Shah Traders",
      reference: "TKT-000042",
      subject: "Printer jams",
      token: "0123456789abcdef01234567",
      body: "Please try the other tray.",
      customerName: "Meera Iyer",
      authorName: "Asha Rao",
    },
    subject: "Re: Printer jams [TKT-000042] (ref:0123456789abcdef01234567)",
    shows: ["Meera Iyer", "Please try the other tray.", "Asha Rao", "TKT-000042"],
  },
  "ticket-resolved": {
    data: {
      businessName: "Shah Traders",
      reference: "TKT-000042",
      subject: "Printer jams",
      token: "0123456789abcdef01234567",
      customerName: "Meera Iyer",
      resolution: null,
    },
    subject: "Resolved: Printer jams [TKT-000042] (ref:0123456789abcdef01234567)",
    shows: ["Meera Iyer", "TKT-000042", "resolved"],
  },
  "ticket-overdue": {
    data: {
      name: "Asha Rao",
      reference: "TKT-000042",
      subject: "Printer jams",
      target: "first response",
      due: "22 Nov 2026, 10:30 (Asia/Kolkata)",
      businessName: "Shah Traders",
      link: "https://crm.example.test/tickets/42",
    },
    subject: "Overdue ticket TKT-000042: Printer jams",
    shows: ["Asha Rao", "first response", "22 Nov 2026, 10:30", "/tickets/42"],
  },
  "webhook-disabled": {
    data: {
      name: "Asha Rao",
      businessName: "Shah Traders",
      url: "https://erp.example.test/hooks/crm",
      reason: "Disabled automatically: every delivery failed for 24 hours (31 attempts in a row).",
      link: "https://crm.example.test/settings/webhooks/3",
    },
    subject: "Webhook endpoint disabled at Shah Traders",
    shows: [
      "Asha Rao",
      "https://erp.example.test/hooks/crm",
      "31 attempts",
      "/settings/webhooks/3",
    ],
  },
  "invoice-issued": {
    data: {
      name: "Asha Rao",
      businessName: "Shah Traders",
      documentName: "invoice",
      number: "INV/2627/000042",
      date: "2026-12-01",
      total: "₹1,180.00",
      supplierName: "Example CRM Private Limited",
      link: "https://crm.example.test/billing/invoices/42.pdf",
    },
    subject: "Your invoice INV/2627/000042 from Example CRM Private Limited",
    shows: ["Asha Rao", "INV/2627/000042", "₹1,180.00", "/billing/invoices/42.pdf"],
  },
  "reminders-digest": {
    data: {
      name: "Asha Rao",
      businessName: "Shah Traders",
      date: "28 Feb 2027",
      link: "https://crm.example.test/customers",
      customers: [
        {
          name: "Meera Iyer",
          occasion: "Birthday, 35 years",
          phone: "098765 43210",
          link: "https://crm.example.test/customers/7",
        },
      ],
      more: 0,
    },
    subject: "Birthdays and anniversaries on 28 Feb 2027 at Shah Traders",
    shows: ["Asha Rao", "Meera Iyer", "Birthday, 35 years", "098765 43210", "/customers/7"],
  },
  notifications: {
    data: {
      name: "Asha Rao",
      businessName: "Shah Traders",
      count: 2,
      firstTitle: "Ravi assigned you a task: Call Meera",
      more: 0,
      link: "https://crm.example.test/notifications",
      items: [
        {
          title: "New lead from Book a demo: Meera Iyer",
          body: null,
          link: "https://crm.example.test/leads/9",
        },
        {
          title: "Ravi assigned you a task: Call Meera",
          body: "Due 3 Dec 2026, 10:30",
          link: "https://crm.example.test/tasks/4",
        },
      ],
    },
    subject: "2 new notifications at Shah Traders",
    shows: ["Asha Rao", "Call Meera", "Due 3 Dec 2026, 10:30", "/leads/9", "/tasks/4"],
  },
};

describe("rendering e-mail templates", () => {
  it.each(mailTemplates)(
    "%s: subject, text and HTML carry the values and the link",
    async (name) => {
      const sample = samples[name];
      const mail = await render({ to: "someone@example.test", template: name, data: sample.data });

      expect(mail.subject).toBe(sample.subject);
      for (const value of sample.shows) {
        expect(mail.text).toContain(value);
        expect(mail.html).toContain(value);
      }
      if (typeof sample.data.link === "string") {
        // Mail clients link a URL reliably only when nothing else shares its line.
        expect(mail.text.split("\n")).toContain(sample.data.link);
        expect(mail.html).toContain(`href="${sample.data.link}"`);
      }
      expect(mail.html).toMatch(/^<!doctype html>/i);
      expect(mail.html).toContain(`<title>${sample.subject}</title>`);
      expect(mail.text).not.toMatch(/<[a-z]/i);
    },
  );

  it("escapes data in HTML but leaves the text part literal", async () => {
    const mail = await render({
      to: "someone@example.test",
      template: "activation",
      data: {
        name: '<script>alert("x")</script> & Co',
        link: "https://crm.example.test/a?t=1&u=2",
      },
    });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&lt;script&gt;");
    expect(mail.html).toContain("&amp; Co");
    expect(mail.html).toContain('href="https://crm.example.test/a?t&#x3D;1&amp;u&#x3D;2"');
    expect(mail.text).toContain('<script>alert("x")</script> & Co');
    expect(mail.text.split("\n")).toContain("https://crm.example.test/a?t=1&u=2");
  });

  it("keeps a hostile name to one short line in the subject", async () => {
    const mail = await render({
      to: "someone@example.test",
      template: "invitation",
      data: {
        inviterName: "Eve\r\nBcc: victim@example.test",
        businessName: "B".repeat(200),
        role: "admin",
        link: "https://crm.example.test/invitations/x",
      },
    });
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.subject.startsWith("Eve Bcc: victim@example.test invited you to BBB")).toBe(true);
    expect(mail.subject.length).toBeLessThan(150);
  });

  it("refuses missing data and links that are not web addresses", async () => {
    await expect(
      render({ to: "a@example.test", template: "password-reset", data: { name: "A" } }),
    ).rejects.toThrow('Mail "password-reset" needs data: link');
    await expect(
      render({
        to: "a@example.test",
        template: "activation",
        data: { name: "A", link: "javascript:alert(1)" },
      }),
    ).rejects.toThrow("absolute http(s) link");
    await expect(
      render({
        to: "a@example.test",
        template: "activation",
        data: { name: "A", link: "/relative" },
      }),
    ).rejects.toThrow("absolute http(s) link");
  });
});
