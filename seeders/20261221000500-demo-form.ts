import type { Seeder } from "../src/db/migrator";
import { starterFields } from "../src/commands/forms/fields";
import { businessScope, tenantWhere } from "../src/tenancy/scope";
import { demoEmail } from "./20261122000100-demo-account";
import { demoBusinessName } from "./20261122001500-demo-business";

/** The demo form's public address: /f/<demoFormSlug>. */
export const demoFormSlug = "demo-traders-enquiry";

/**
 * Demo Traders' published lead form, so a demo can send a submission and watch the lead appear.
 * Its address is announced with the demo login ({url} is the app's address). Skipped once done.
 */
export const up: Seeder = async ({ context }) => {
  const { models } = context;
  const owner = await models.User.findOne({ where: { email: demoEmail } });
  if (!owner) return;
  const business = await models.Business.findOne({
    where: { ownerId: owner.id, name: demoBusinessName },
  });
  if (!business) return;
  const existing = await models.Form.findOne({ where: { slug: demoFormSlug } });
  if (existing) return;
  const now = new Date();
  await models.Form.create({
    businessId: business.id,
    slug: demoFormSlug,
    kind: "lead",
    status: "published",
    title: "Ask Demo Traders for a quote",
    description: "Tell us what you need and we will call you back within a working day.",
    fields: JSON.stringify([
      ...starterFields().slice(0, 3),
      {
        key: "f6",
        type: "dropdown",
        label: "Interested in",
        helpText: null,
        required: false,
        options: ["Sarees", "Kurtas", "Home linen", "Bulk orders"],
        target: "",
      },
      ...starterFields().slice(3),
    ]),
    successMessage: "Thank you! Demo Traders will call you back within a working day.",
    redirectUrl: null,
    color: "#6f42c1",
    source: "Website",
    campaignName: "Launch Sprint 2025",
    assignment: "none",
    assigneeId: null,
    createdById: owner.id,
    publishedAt: now,
    createdAt: now,
    updatedAt: now,
  });
  context.announce(`Demo lead-capture form (public, no sign-in):\n  {url}/f/${demoFormSlug}`);
};

export const down: Seeder = async ({ context }) => {
  const form = await context.models.Form.findOne({ where: { slug: demoFormSlug } });
  if (!form) return;
  const scope = businessScope(form.businessId);
  await context.models.FormSubmission.destroy({
    where: tenantWhere(scope, context.models.FormSubmission, { formId: form.id }),
  });
  await form.destroy();
};
