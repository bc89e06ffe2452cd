import {
  buildActivityLog,
  buildImport,
  buildInvitation,
  buildNotification,
  buildSegment,
  buildSession,
  buildTask,
} from "../factories";
import { buildBillingDetails } from "../factoriesInvoices";
import { issueInvoice } from "../../src/commands/invoices/issue";
import { listOutbox, outboxDir } from "../../src/integrations/mail/outbox";
import type { WalkRecords, WalkSeed } from "./phoneWidthSeed";

/**
 * The phone-width walk's records for customers, tasks, segments, imports, the team, the profile
 * (sessions, activity, API tokens), notifications, billing and the development outbox.
 */
export async function accountRecords(seed: WalkSeed): Promise<WalkRecords> {
  const { deps, owner, business, customers } = seed;
  const { models } = deps;
  const task = await buildTask(models, business, {
    title: "Call back about the Deepavali bulk order and the revised quotation",
    customerId: customers[0]!.id,
    priority: "urgent",
    dueAt: new Date(Date.now() - 86_400_000),
  });
  await buildTask(models, business, { title: "Send the catalogue", priority: "low" });
  const segment = await buildSegment(models, {
    businessId: business.id,
    name: "Wholesale buyers in Chennai who ordered before Deepavali",
    filters: JSON.stringify({ tags: ["wholesale-buyers-chennai"] }),
  });
  const done = await buildImport(models, {
    businessId: business.id,
    fileName: "customers-exported-from-the-old-billing-software-2026-final-v2.csv",
    totalRows: 1200,
    processedRows: 1200,
    createdCount: 1100,
    updatedCount: 50,
    skippedCount: 30,
    failedCount: 20,
    startedAt: new Date(),
    finishedAt: new Date(),
  });
  await buildInvitation(models, {
    businessId: business.id,
    email: "a.very.long.invitee.address@longcompanyname.example.test",
  });
  await buildNotification(models, {
    businessId: business.id,
    userId: owner.id,
    title: `Task due: ${task.title}`,
    link: `/tasks/${task.id}`,
  });
  await buildSession(models, {
    userId: owner.id,
    kind: "api",
    userAgent: "curl/8.5.0",
    ip: "2001:db8:85a3:0000:0000:8a2e:0370:7334",
  });
  await buildActivityLog(models, {
    userId: owner.id,
    action: "auth.sign_in",
    ip: "2001:db8:85a3:0000:0000:8a2e:0370:7334",
    userAgent:
      "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
  });

  // A personal API token with a long name and every scope (its revoke confirmation).
  const apiToken = await models.PersonalToken.create({
    businessId: business.id,
    userId: owner.id,
    name: "Nightly sync with the Subramaniam warehouse inventory spreadsheet",
    tokenHint: "crm_pat_AbCd",
    tokenHash: "0".repeat(63) + "1",
    scopes:
      "customers:read customers:write imports:read imports:write segments:read segments:write tasks:read tasks:write",
    expiresAt: new Date(Date.now() + 30 * 86_400_000),
  });

  return {
    tokenId: async () => String(apiToken.id),
    taskId: async () => String(task.id),
    customerId: async () => String(customers[0]!.id),
    // /billing/account/:businessId/invoices/:id.pdf — the account's own business.
    businessId: async () => String(business.id),
    segmentId: async () => String(segment.id),
    importId: async () => String(done.id),
    // A catalogue name (the pricing page of one plan), not a record.
    plan: async () => "gold",
    // A payment waiting for Checkout (its page and callback).
    paymentId: async () => {
      const payment = await models.Payment.create({
        businessId: business.id,
        userId: owner.id,
        orderId: `order_walk_${business.id}`,
        receipt: `walk${business.id}`,
        purpose: "upgrade",
        planCode: "enterprise",
        billingInterval: "year",
        listMinor: 4_999_900,
        creditMinor: 0,
        taxableMinor: 4_999_900,
        taxMinor: 899_982,
        amountMinor: 5_899_882,
        status: "created",
      });
      return String(payment.id);
    },
    // An invoice with long billing details, so /billing/invoices has a row to fit (its PDF is a download).
    invoiceId: async () => {
      if (!(await models.BillingDetails.count({ where: { businessId: business.id } })))
        await buildBillingDetails(models, business);
      const invoice = await issueInvoice(deps, {
        businessId: business.id,
        paymentRef: `pay_walk_${business.id}`,
        kind: "invoice",
        lines: [
          {
            description: "CRM Enterprise plan, yearly (2026-12-01 to 2027-12-01)",
            amountMinor: 4_999_900,
          },
        ],
      });
      return String(invoice.id);
    },
    // The development outbox (mounted outside production): a message of our own.
    id: async () => {
      await deps.mailer.send({
        to: owner.email,
        template: "password-changed",
        data: { name: owner.name, time: "today" },
      });
      const mail = await listOutbox(outboxDir(deps.config.varDir), { limit: 50 });
      return mail.find((entry) => entry.to === owner.email)?.id ?? "none";
    },
  };
}
