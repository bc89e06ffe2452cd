import { Op } from "sequelize";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { newMessageId } from "../../integrations/mail/campaignTransport";
import { campaignMail } from "../../integrations/mail/campaignMessage";
import { campaignTransportsOf, emailSetupOf } from "../../integrations/mail/emailSetup";
import { classifySmtpError } from "../../integrations/mail/smtpErrors";
import type { TenantContext } from "../../tenancy/context";
import { findInBusiness, tenantWhere } from "../../tenancy/scope";
import { trackingLinks } from "../tracking/tokens";
import { composeEmail, type ComposedEmail } from "./compose";
import { templateProblems, type EmailTemplateInput } from "./templates";
import type { MergeData } from "./variables";

/**
 * The live preview and "send me a test": the template filled with a real customer of the business
 * (or a sample one when it has none), exactly as a campaign fills it.
 */
export interface PreviewCustomer {
  id: number;
  name: string;
  email: string | null;
}

/** Customers to preview with: the latest ones with an e-mail address. */
export async function previewCustomers(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
): Promise<PreviewCustomer[]> {
  const rows = await deps.models.Customer.findAll({
    where: tenantWhere(ctx, deps.models.Customer, { email: { [Op.ne]: null } }),
    attributes: ["id", "name", "email"],
    order: [["id", "DESC"]],
    limit: 50,
  });
  return rows.map((c) => ({ id: c.id, name: c.name, email: c.email }));
}

const sampleCustomer = {
  name: "Asha Verma",
  email: "asha.verma@example.com",
  phoneE164: "+919812345678",
};

/** The customer's data (through the member's scope: another business's id is a 404). */
async function customerData(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  customerId: number | null,
) {
  if (!customerId) return { id: 0, ...sampleCustomer };
  const customer = await findInBusiness(ctx, deps.models.Customer, customerId, {
    attributes: ["id", "name", "email", "phoneE164"],
  });
  return {
    id: customer.id,
    name: customer.name,
    email: customer.email,
    phoneE164: customer.phoneE164,
  };
}

export interface Preview {
  composed: ComposedEmail;
  problems: Record<string, string>;
  customer: { name: string; email: string | null; sample: boolean };
}

/** Fills unsaved text for the preview: problems are listed, not thrown (the person is typing). */
export async function previewEmail(
  deps: Pick<Deps, "models" | "config">,
  ctx: TenantContext,
  input: EmailTemplateInput,
  customerId: number | null,
): Promise<Preview> {
  const customer = await customerData(deps, ctx, customerId);
  const data: MergeData = {
    customer,
    business: { name: ctx.business.name },
    // A preview's link goes nowhere: it is no customer's.
    unsubscribeUrl: `${deps.config.APP_URL.replace(/\/+$/, "")}/u/preview`,
  };
  return {
    composed: composeEmail({ subject: input.subject, htmlBody: input.html_body }, data, null),
    problems: templateProblems(input),
    customer: { name: customer.name, email: customer.email, sample: customer.id === 0 },
  };
}

/**
 * Sends the filled template to the signed-in member, through the business's e-mail setup, with
 * the campaign headers and tracked links of a real send — but recipient 0, so its opens, clicks
 * and unsubscribe record nothing. Refusals and a missing setup are errors the page shows.
 */
export async function sendTestEmail(
  deps: Pick<Deps, "models" | "config" | "logger">,
  ctx: TenantContext,
  input: EmailTemplateInput,
  customerId: number | null,
): Promise<{ to: string }> {
  const problems = templateProblems(input);
  if (Object.keys(problems).length > 0)
    throw AppError.validation(problems, "Fix the template before sending a test.");
  const result = await emailSetupOf(deps, ctx.business.id);
  if (!result.ok) throw AppError.validation({ form: result.problem }, result.problem);
  const customer = await customerData(deps, ctx, customerId);
  const links = trackingLinks(deps.config.APP_URL, deps.config.secretsKey, {
    businessId: ctx.business.id,
    customerId: customer.id,
    recipientId: 0,
  });
  const composed = composeEmail(
    { subject: input.subject, htmlBody: input.html_body },
    { customer, business: { name: ctx.business.name }, unsubscribeUrl: links.unsubscribeUrl },
    links,
  );
  const to = ctx.user.email;
  const mail = campaignMail(result.setup, composed, links, {
    to,
    test: true,
    messageId: newMessageId(result.setup.from.address, ctx.business.id, 0),
  });
  try {
    await campaignTransportsOf(deps.config).send(result.setup.smtpUrl, mail);
  } catch (error) {
    const failure = classifySmtpError(error);
    deps.logger.warn({ code: failure.code, businessId: ctx.business.id }, "test e-mail refused");
    const message = `The test was not sent: the SMTP server answered ${failure.code}: ${failure.reason}`;
    throw AppError.validation({ form: message }, message);
  }
  return { to };
}
