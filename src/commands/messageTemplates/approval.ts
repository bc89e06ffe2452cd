import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import {
  whatsAppApiFor,
  type TemplateSubmission,
  type WhatsAppApi,
} from "../../integrations/whatsapp/client";
import type { MessageTemplate, TemplateStatus } from "../../models";
import { tenantWhere, type Scoped } from "../../tenancy/scope";
import { findChannel, openWhatsAppCredentials } from "../channels/channels";
import { paramCount, parsePlaceholderMap, renderWhatsAppParams } from "./params";
import type { TemplateButton } from "./validation";

/**
 * Meta's side of a template: submit it for approval, read its status back ("Sync status"), and
 * apply the status-update webhook. Meta's statuses map onto ours: APPROVED → approved,
 * REJECTED (and PAUSED/DISABLED) → rejected with the reason, anything else → pending.
 */
type ApprovalDeps = Pick<Deps, "models" | "config" | "clock">;

const sampleCustomer = {
  name: "Asha Verma",
  email: "asha@example.com",
  phoneE164: "+919876543210",
};

export function ourStatus(metaStatus: string): TemplateStatus {
  const status = metaStatus.toUpperCase();
  if (status === "APPROVED") return "approved";
  if (["REJECTED", "PAUSED", "DISABLED"].includes(status)) return "rejected";
  return "pending";
}

/** The submission Meta expects: components with an example value for every placeholder. */
export function submissionOf(template: MessageTemplate, businessName: string): TemplateSubmission {
  const components: TemplateSubmission["components"] = [];
  if (template.headerText)
    components.push({ type: "HEADER", format: "TEXT", text: template.headerText });
  const body: TemplateSubmission["components"][number] = { type: "BODY", text: template.body };
  if (paramCount(template.body) > 0)
    body.example = {
      body_text: [renderWhatsAppParams(template, sampleCustomer, { businessName })],
    };
  components.push(body);
  if (template.footerText) components.push({ type: "FOOTER", text: template.footerText });
  const buttons = parseButtons(template.buttons);
  if (buttons.length)
    components.push({
      type: "BUTTONS",
      buttons: buttons.map((b) => ({
        type: b.type,
        text: b.text,
        ...(b.url ? { url: b.url } : {}),
      })),
    });
  return {
    name: template.name,
    language: template.language,
    category: template.category ?? "MARKETING",
    components,
  };
}

export function parseButtons(value: string | null): TemplateButton[] {
  if (!value) return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? (parsed as TemplateButton[]) : [];
  } catch {
    return [];
  }
}

async function credentials(deps: ApprovalDeps, ctx: Scoped) {
  const channel = await findChannel(deps, ctx, "whatsapp");
  const opened = channel ? openWhatsAppCredentials(deps, channel) : null;
  if (!opened || !opened.wabaId)
    throw new AppError(
      "conflict",
      "Connect WhatsApp first (Settings → Channels): templates are submitted with your number's account.",
    );
  return { ...opened, wabaId: opened.wabaId };
}

/** Submits a draft to Meta: pending with Meta's id, or a conflict with Meta's reason. */
export async function submitTemplate(
  deps: ApprovalDeps,
  ctx: Scoped,
  template: MessageTemplate,
  businessName: string,
  api: WhatsAppApi = whatsAppApiFor(deps.config),
): Promise<MessageTemplate> {
  if (template.channel !== "whatsapp") throw AppError.notFound();
  if (template.status !== "draft")
    throw new AppError("conflict", "Only a draft is submitted. Edit a rejected template first.");
  // Older rows may predate validation: never submit one that would send with a missing parameter.
  const map = parsePlaceholderMap(template.placeholderMap);
  for (let n = 1; n <= paramCount(template.body); n += 1)
    if (!map[String(n)]) throw new AppError("conflict", `Choose what fills {{${n}}} first.`);
  const { wabaId, token } = await credentials(deps, ctx);
  const result = await api.submitTemplate(wabaId, token, submissionOf(template, businessName));
  if (!result.ok)
    throw new AppError(
      "conflict",
      `Meta refused the template (code ${result.error.code}): ${result.error.message}`,
    );
  const now = deps.clock.now();
  return template.update({
    status: ourStatus(result.status),
    providerTemplateId: result.id,
    submittedAt: now,
    statusSyncedAt: now,
    rejectionReason: null,
  });
}

/** Reads the template's status from Meta and records it. */
export async function syncTemplateStatus(
  deps: ApprovalDeps,
  ctx: Scoped,
  template: MessageTemplate,
  api: WhatsAppApi = whatsAppApiFor(deps.config),
): Promise<MessageTemplate> {
  if (template.channel !== "whatsapp") throw AppError.notFound();
  if (template.status === "draft")
    throw new AppError("conflict", "This template has not been submitted yet.");
  const { wabaId, token } = await credentials(deps, ctx);
  const result = await api.fetchTemplateStatus(wabaId, token, template.name, template.language);
  if (!result.ok)
    throw new AppError(
      "conflict",
      `Meta could not be asked (code ${result.error.code}): ${result.error.message}`,
    );
  if (!result.template)
    throw new AppError("conflict", "Meta has no template of this name and language any more.");
  const status = ourStatus(result.template.status);
  return template.update({
    status,
    providerTemplateId: result.template.id,
    rejectionReason:
      status === "rejected" ? (result.template.rejectedReason ?? "Rejected by Meta") : null,
    statusSyncedAt: deps.clock.now(),
  });
}

/**
 * Meta's message_template_status_update webhook for one business: the template by Meta's id, or
 * by name and language. Answers how many rows changed (0 when we do not know the template).
 */
export async function applyTemplateStatusUpdate(
  deps: Pick<Deps, "models" | "clock">,
  ctx: Scoped,
  update: {
    providerTemplateId: string | null;
    name: string | null;
    language: string | null;
    event: string;
    reason: string | null;
  },
): Promise<number> {
  const model = deps.models.MessageTemplate;
  const status = ourStatus(update.event);
  const reason = update.reason && update.reason !== "NONE" ? update.reason : "Rejected by Meta";
  const values = {
    status,
    rejectionReason: status === "rejected" ? reason.slice(0, 500) : null,
    statusSyncedAt: deps.clock.now(),
  };
  // By Meta's id first; a template submitted elsewhere (or before its id was kept) by name.
  const matches = [
    update.providerTemplateId ? { providerTemplateId: update.providerTemplateId } : null,
    update.name && update.language ? { name: update.name, language: update.language } : null,
  ];
  for (const match of matches) {
    if (!match) continue;
    const [changed] = await model.update(values, {
      where: tenantWhere(ctx, model, { ...match, channel: "whatsapp" }),
    });
    if (changed > 0) return changed;
  }
  return 0;
}
