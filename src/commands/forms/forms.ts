import { randomBytes } from "node:crypto";
import { UniqueConstraintError } from "sequelize";
import { z } from "zod";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { parseRecordId } from "../../lib/ids";
import {
  formAssignments,
  formKinds,
  type Form,
  type FormField,
  type FormKind,
} from "../../models/Form";
import { assertWithinLimit } from "../../plans/planGate";
import { authorize, type TenantContext } from "../../tenancy/context";
import { acrossBusinesses, findInBusiness, tenantWhere } from "../../tenancy/scope";
import { forgetPublicForm } from "./formCacheStore";
import { maxFields, nextFieldKey, parseFields, starterFields, type FieldInput } from "./fields";

/** Who builds forms: the menu entry's permission (marketing brings leads in). */
export const formsAction = "campaigns.manage" as const;

const blankToNull = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? null : value;

const optionalText = (max: number, label: string) =>
  z.preprocess(
    blankToNull,
    z
      .string()
      .trim()
      .max(max, { error: `Keep ${label} to ${max} characters.` })
      .nullable()
      .default(null),
  );

export const slugPattern = /^[a-z0-9](?:[a-z0-9-]{1,62}[a-z0-9])$/;

/** A form's settings, as the builder's settings form and the new-form form send them. */
export const formSettingsSchema = z
  .object({
    title: z
      .string({ error: "Enter the form's title." })
      .trim()
      .min(1, { error: "Enter the form's title." })
      .max(150, { error: "Keep the title to 150 characters." }),
    description: optionalText(2000, "the description"),
    successMessage: optionalText(500, "the thank-you message"),
    redirectUrl: optionalText(500, "the address").refine(
      (value) => value === null || /^https?:\/\/[^\s]+$/.test(value),
      { error: "Enter a full address starting with https:// (or leave it empty)." },
    ),
    color: z.preprocess(
      (value) => (typeof value === "string" ? value.trim().toLowerCase() : value),
      z.string().regex(/^#[0-9a-f]{6}$/, { error: "Choose a colour such as #0d6efd." }),
    ),
    slug: z.preprocess(
      (value) => (typeof value === "string" ? value.trim().toLowerCase() : value),
      z.string().regex(slugPattern, {
        error: "Use 3 to 64 lower-case letters, digits and dashes (not at either end).",
      }),
    ),
    source: z.preprocess(
      (value) => (typeof value === "string" && value.trim() === "" ? "Web form" : value),
      z.string().trim().max(60, { error: "Keep the source to 60 characters." }),
    ),
    campaignName: optionalText(150, "the campaign"),
    assignment: z.enum(formAssignments, { error: "Choose how leads are assigned." }),
    assigneeId: z
      .unknown()
      .optional()
      .transform((value, ctx) => {
        if (value === undefined || value === null || value === "") return null;
        const id = parseRecordId(value);
        if (id === null) {
          ctx.addIssue({ code: "custom", message: "Choose a team member." });
          return z.NEVER;
        }
        return id;
      }),
  })
  .superRefine((value, ctx) => {
    if (value.assignment === "member" && value.assigneeId === null)
      ctx.addIssue({
        code: "custom",
        path: ["assigneeId"],
        message: "Choose the member who gets this form's leads.",
      });
  });
export type FormSettings = z.output<typeof formSettingsSchema>;

export const newFormSchema = z.object({
  title: formSettingsSchema.shape.title,
  kind: z.preprocess(
    (value) => value ?? "lead",
    z.enum(formKinds, { error: "Choose what the form is for." }),
  ),
});

/** "Contact us!" → "contact-us", with a short random tail so two forms never share a slug. */
function slugFor(title: string): string {
  const base = title
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/g, "");
  const tail = randomBytes(4).toString("hex").slice(0, 6);
  return base ? `${base}-${tail}` : `form-${tail}`;
}

function supportFields(): FormField[] {
  const [name, email, phone] = starterFields();
  return [
    name as FormField,
    email as FormField,
    phone as FormField,
    {
      key: "f4",
      type: "textarea",
      label: "What do you need help with?",
      helpText: null,
      required: true,
      options: [],
      target: "",
    },
  ];
}

/** The business's forms, newest first, with their counters. */
export async function listForms(deps: Deps, ctx: TenantContext): Promise<Form[]> {
  authorize(ctx, formsAction);
  return deps.models.Form.findAll({
    where: tenantWhere(ctx, deps.models.Form),
    order: [["id", "DESC"]],
  });
}

/** One form of the business (404 in another). */
export function loadForm(deps: Deps, ctx: TenantContext, id: unknown): Promise<Form> {
  return findInBusiness(ctx, deps.models.Form, id);
}

/** The published form a public address names, or null (a draft is nobody's page yet). */
export async function publishedForm(deps: Pick<Deps, "models">, slug: string) {
  if (!slugPattern.test(slug)) return null;
  return deps.models.Form.findOne({
    where: acrossBusinesses("a public form's address names it, whatever business it is in", {
      slug,
      status: "published",
    }),
  });
}

/**
 * A new form in draft, with starter fields (name, e-mail, phone, message, consent; a support form
 * asks what the problem is), within the plan's number of forms.
 */
export async function createForm(
  deps: Deps,
  ctx: TenantContext,
  input: { title: string; kind: FormKind },
): Promise<Form> {
  authorize(ctx, formsAction);
  const used = await deps.models.Form.count({ where: tenantWhere(ctx, deps.models.Form) });
  assertWithinLimit(ctx.plan, "forms", used);
  const now = deps.clock.now();
  return deps.models.Form.create({
    businessId: ctx.business.id,
    slug: slugFor(input.title),
    kind: input.kind,
    title: input.title,
    description: null,
    fields: JSON.stringify(input.kind === "support" ? supportFields() : starterFields()),
    successMessage: null,
    redirectUrl: null,
    campaignName: null,
    assigneeId: null,
    createdById: ctx.system ? null : ctx.user.id,
    createdAt: now,
    updatedAt: now,
  });
}

const slugTaken = () =>
  new AppError("conflict", "Another form already has this address. Choose another.", {
    field: "slug",
  });

/** Saves the settings; the address must be free, the assignee a member of the business. */
export async function updateFormSettings(
  deps: Deps,
  ctx: TenantContext,
  form: Form,
  settings: FormSettings,
): Promise<Form> {
  authorize(ctx, formsAction);
  const assigneeId = settings.assignment === "member" ? settings.assigneeId : null;
  if (assigneeId !== null) {
    const member = await deps.models.Membership.count({
      where: tenantWhere(ctx, deps.models.Membership, { userId: assigneeId }),
    });
    if (!member) throw AppError.validation({ assigneeId: "Choose a member of this business." });
  }
  if (settings.slug !== form.slug) {
    const other = await deps.models.Form.findOne({
      where: acrossBusinesses("form addresses are unique across businesses", {
        slug: settings.slug,
      }),
      attributes: ["id"],
    });
    if (other) throw slugTaken();
  }
  const previousSlug = form.slug;
  try {
    const saved = await form.update({ ...settings, assigneeId, updatedAt: deps.clock.now() });
    forgetPublicForm(deps, previousSlug, saved.slug);
    return saved;
  } catch (error) {
    if (error instanceof UniqueConstraintError) throw slugTaken();
    throw error;
  }
}

/** Replaces the fields (every builder change goes through here). */
export async function saveFields(
  deps: Deps,
  ctx: TenantContext,
  form: Form,
  fields: FormField[],
): Promise<Form> {
  authorize(ctx, formsAction);
  const saved = await form.update({ fields: JSON.stringify(fields), updatedAt: deps.clock.now() });
  forgetPublicForm(deps, form.slug);
  return saved;
}

/** Adds a field at the end (at most `maxFields`). */
export async function addField(deps: Deps, ctx: TenantContext, form: Form, input: FieldInput) {
  const fields = parseFields(form.fields);
  if (fields.length >= maxFields)
    throw AppError.validation({ form: `A form has at most ${maxFields} fields.` });
  const field: FormField = { key: nextFieldKey(fields), ...input };
  await saveFields(deps, ctx, form, [...fields, field]);
  return field;
}

/** Changes one field in place (its key, and so its past answers, stay). */
export async function updateField(
  deps: Deps,
  ctx: TenantContext,
  form: Form,
  key: string,
  input: FieldInput,
): Promise<void> {
  const fields = parseFields(form.fields);
  if (!fields.some((f) => f.key === key)) throw AppError.notFound();
  await saveFields(
    deps,
    ctx,
    form,
    fields.map((f) => (f.key === key ? { key, ...input } : f)),
  );
}

/** Removes one field; past answers to it stay on their submissions. */
export async function removeField(deps: Deps, ctx: TenantContext, form: Form, key: string) {
  const fields = parseFields(form.fields);
  if (!fields.some((f) => f.key === key)) throw AppError.notFound();
  await saveFields(
    deps,
    ctx,
    form,
    fields.filter((f) => f.key !== key),
  );
}

/**
 * Publishes or unpublishes. A lead form needs an e-mail or phone field to publish (a lead nobody
 * can reach is not a lead); a support form needs an e-mail field (the ticket's answers go there).
 */
export async function setFormStatus(
  deps: Deps,
  ctx: TenantContext,
  form: Form,
  status: "draft" | "published",
): Promise<Form> {
  authorize(ctx, formsAction);
  if (status === "published") {
    const types = parseFields(form.fields).map((f) => f.type);
    if (form.kind === "lead" && !types.includes("email") && !types.includes("phone"))
      throw new AppError(
        "validation_failed",
        "Add an e-mail or phone field before publishing: a lead needs a way to be reached.",
      );
    if (form.kind === "support" && !types.includes("email"))
      throw new AppError(
        "validation_failed",
        "Add an e-mail field before publishing: the ticket's answers are sent there.",
      );
  }
  const now = deps.clock.now();
  const saved = await form.update({
    status,
    publishedAt: status === "published" ? (form.publishedAt ?? now) : form.publishedAt,
    updatedAt: now,
  });
  forgetPublicForm(deps, form.slug);
  return saved;
}

/** Deletes a form and its submissions (leads it brought in stay). Confirmed on its own page. */
export async function deleteForm(deps: Deps, ctx: TenantContext, form: Form): Promise<void> {
  authorize(ctx, formsAction);
  await deps.sequelize.transaction(async (transaction) => {
    await deps.models.FormSubmission.destroy({
      where: tenantWhere(ctx, deps.models.FormSubmission, { formId: form.id }),
      transaction,
    });
    await form.destroy({ transaction });
  });
  forgetPublicForm(deps, form.slug);
}
