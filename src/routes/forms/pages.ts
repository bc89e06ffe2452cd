import type { Request, Response } from "express";
import { parseFields } from "../../commands/forms/fields";
import {
  addField,
  createForm,
  deleteForm,
  listForms,
  loadForm as findForm,
  removeField,
  saveFields,
  setFormStatus,
  updateField,
  updateFormSettings,
} from "../../commands/forms/forms";
import { moveField, reorderFields } from "../../commands/forms/fields";
import { membersWhoMay } from "../../commands/members";
import { AppError } from "../../errors";
import type { FormFailure, LoadCall, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import type { FieldErrors } from "../../lib/forms";
import { csrfToken } from "../../middleware/csrf";
import type { Form } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import type {
  fieldInputSchema,
  fieldParams,
  formParams,
  formSettingsSchema,
  moveSchema,
  newFormSchema,
  orderSchema,
  statusSchema,
} from "./schema";
import {
  blankField,
  embedSnippet,
  fieldFormView,
  fieldRows,
  fieldValues,
  formRows,
  publicUrl,
  settingsValues,
  settingsView,
} from "./views";

type Values = Record<string, unknown>;
type Deps = PageCall["deps"];
type OneForm = { params: typeof formParams; record: Form };
type OneField = { params: typeof fieldParams; record: Form };

/** The form a path names (404 in another business). */
export function loadForm({ deps, ctx, params }: LoadCall<TenantContext, { formId: number }>) {
  return findForm(deps, ctx, params.formId);
}

/** Where visitors reach this app: APP_URL, which the embed snippet and public links use. */
const originOf = (deps: Deps) => deps.config.APP_URL.replace(/\/+$/, "");

/** GET /forms (and the new-form form's failure). */
async function renderList(
  req: Request,
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  options: { values?: Values; errors?: FieldErrors; status?: number } = {},
) {
  const forms = await listForms(deps, ctx);
  res.status(options.status ?? 200).render("forms/index", {
    title: "Forms",
    csrfToken: csrfToken(req),
    forms: formRows(forms),
    values: options.values ?? { kind: "lead" },
    errors: options.errors ?? {},
  });
}

export function showForms({ req, res, deps, ctx }: PageCall) {
  return renderList(req, res, deps, ctx);
}

export function renderNewFailure({ req, res, deps, ctx }: PageFormCall, failure: FormFailure) {
  return renderList(req, res, deps, ctx, {
    values: failure.values,
    errors: failure.errors,
    status: failure.status,
  });
}

/** POST /forms: a draft with starter fields, opened in the builder. */
export async function create({ deps, ctx, body }: PageCall<{ body: typeof newFormSchema }>) {
  const form = await createForm(deps, ctx, body);
  return redirect(`/forms/${form.id}`, `Form ${form.title} created as a draft.`);
}

/** The builder: settings, fields (drag and drop, or up/down), add a field, embed, publish. */
export async function renderBuilder(
  req: Request,
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  form: Form,
  options: {
    settings?: Values;
    settingsErrors?: FieldErrors;
    field?: Values;
    fieldErrors?: FieldErrors;
    logoError?: string;
    status?: number;
  } = {},
) {
  const members = await membersWhoMay(deps, ctx, "leads.manage");
  const settings = options.settings ?? settingsValues(form);
  const field = options.field ?? blankField;
  const origin = originOf(deps);
  res.status(options.status ?? 200).render("forms/show", {
    title: form.title,
    csrfToken: csrfToken(req),
    form: {
      id: form.id,
      title: form.title,
      published: form.status === "published",
      support: form.kind === "support",
      submissions: Number(form.submissionCount),
      spam: Number(form.spamCount),
      url: publicUrl(origin, form),
      path: `/f/${form.slug}`,
      embed: embedSnippet(origin, form),
      logoUrl: form.logoFile && form.status === "published" ? `/f/${form.slug}/logo` : null,
      hasLogo: Boolean(form.logoFile),
    },
    logoError: options.logoError ?? null,
    fields: fieldRows(form),
    settings,
    settingsErrors: options.settingsErrors ?? {},
    field,
    fieldErrors: options.fieldErrors ?? {},
    ...settingsView(settings, members),
    ...fieldFormView(field),
  });
}

export function showBuilder({ req, res, deps, ctx, record: form }: PageCall<OneForm>) {
  return renderBuilder(req, res, deps, ctx, form);
}

export function renderSettingsFailure(
  { req, res, deps, ctx, record }: PageFormCall<{ record: Form }>,
  failure: FormFailure,
) {
  return renderBuilder(req, res, deps, ctx, record, {
    settings: failure.values,
    settingsErrors: failure.errors,
    status: failure.status,
  });
}

/** POST /forms/:formId: the settings. */
export async function saveSettings({
  deps,
  ctx,
  body,
  record: form,
}: PageCall<OneForm & { body: typeof formSettingsSchema }>) {
  await updateFormSettings(deps, ctx, form, body);
  return redirect(`/forms/${form.id}`, "Settings saved.");
}

export function renderAddFailure(
  { req, res, deps, ctx, record }: PageFormCall<{ record: Form }>,
  failure: FormFailure,
) {
  return renderBuilder(req, res, deps, ctx, record, {
    field: failure.values,
    fieldErrors: failure.errors,
    status: failure.status,
  });
}

/** POST /forms/:formId/fields: a new field at the end. */
export async function add({
  deps,
  ctx,
  body,
  record: form,
}: PageCall<OneForm & { body: typeof fieldInputSchema }>) {
  const field = await addField(deps, ctx, form, body);
  return redirect(`/forms/${form.id}#field-${field.key}`, `Field ${field.label} added.`);
}

function fieldOf(form: Form, key: string) {
  const field = parseFields(form.fields).find((f) => f.key === key);
  if (!field) throw AppError.notFound();
  return field;
}

function renderFieldForm(
  req: Request,
  res: Response,
  form: Form,
  key: string,
  options: { values: Values; errors?: FieldErrors; status?: number },
) {
  res.status(options.status ?? 200).render("forms/field", {
    title: `Edit field · ${form.title}`,
    csrfToken: csrfToken(req),
    form: { id: form.id, title: form.title },
    key,
    field: options.values,
    fieldErrors: options.errors ?? {},
    ...fieldFormView(options.values),
  });
}

/** GET /forms/:formId/fields/:fieldKey/edit */
export function showField({ req, res, params, record: form }: PageCall<OneField>) {
  renderFieldForm(req, res, form, params.fieldKey, {
    values: fieldValues(fieldOf(form, params.fieldKey)),
  });
}

export function renderFieldFailure(
  { req, res, params, record }: PageFormCall<OneField>,
  failure: FormFailure,
) {
  renderFieldForm(req, res, record, params.fieldKey, {
    values: failure.values,
    errors: failure.errors,
    status: failure.status,
  });
}

/** POST /forms/:formId/fields/:fieldKey */
export async function saveField({
  deps,
  ctx,
  params,
  body,
  record: form,
}: PageCall<OneField & { body: typeof fieldInputSchema }>) {
  await updateField(deps, ctx, form, params.fieldKey, body);
  return redirect(`/forms/${form.id}#field-${params.fieldKey}`, `Field ${body.label} saved.`);
}

/** POST /forms/:formId/fields/:fieldKey/move: the no-JavaScript reorder. */
export async function move({
  deps,
  ctx,
  params,
  body,
  record: form,
}: PageCall<OneField & { body: typeof moveSchema }>) {
  const field = fieldOf(form, params.fieldKey);
  await saveFields(deps, ctx, form, moveField(parseFields(form.fields), field.key, body.direction));
  return redirect(
    `/forms/${form.id}#field-${field.key}`,
    `Moved ${field.label} ${body.direction}.`,
  );
}

/** POST /forms/:formId/fields/order: the drag and drop's order (every key once). */
export async function reorder({
  deps,
  ctx,
  body,
  record: form,
}: PageCall<OneForm & { body: typeof orderSchema }>) {
  const ordered = reorderFields(parseFields(form.fields), body.order);
  if (!ordered)
    throw new AppError(
      "conflict",
      "The fields changed since this page was opened. Reload it and drag again.",
    );
  await saveFields(deps, ctx, form, ordered);
  return redirect(`/forms/${form.id}`, "Order saved.");
}

/** GET /forms/:formId/fields/:fieldKey/delete: the confirmation. */
export function confirmFieldDelete({ req, res, params, record: form }: PageCall<OneField>) {
  const field = fieldOf(form, params.fieldKey);
  res.render("forms/confirm-field-delete", {
    title: `Remove ${field.label}?`,
    csrfToken: csrfToken(req),
    form: { id: form.id, title: form.title },
    field: { key: field.key, label: field.label },
  });
}

/** POST /forms/:formId/fields/:fieldKey/delete */
export async function removeFieldPage({ deps, ctx, params, record: form }: PageCall<OneField>) {
  const field = fieldOf(form, params.fieldKey);
  await removeField(deps, ctx, form, field.key);
  return redirect(`/forms/${form.id}`, `Field ${field.label} removed.`);
}

/** POST /forms/:formId/status: publish or back to draft. */
export async function setStatus({
  deps,
  ctx,
  body,
  record: form,
}: PageCall<OneForm & { body: typeof statusSchema }>) {
  await setFormStatus(deps, ctx, form, body.status);
  return redirect(
    `/forms/${form.id}`,
    body.status === "published"
      ? `Published: visitors can now send it at /f/${form.slug}.`
      : "Unpublished: the public page now says the form is closed.",
  );
}

/** Where a refused action of the builder goes back to, with the reason as the flash. */
export function builderBack({ record }: PageFormCall<{ record: Form }>) {
  return `/forms/${record.id}`;
}

/** GET /forms/:formId/delete: the confirmation. */
export function confirmDelete({ req, res, record: form }: PageCall<OneForm>) {
  res.render("forms/confirm-delete", {
    title: `Delete ${form.title}?`,
    csrfToken: csrfToken(req),
    form: { id: form.id, title: form.title, submissions: Number(form.submissionCount) },
  });
}

/** POST /forms/:formId/delete */
export async function remove({ deps, ctx, record: form }: PageCall<OneForm>) {
  await deleteForm(deps, ctx, form);
  return redirect("/forms", `Form ${form.title} deleted.`);
}
