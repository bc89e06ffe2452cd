import type { Request, Response } from "express";
import {
  loadChannels,
  saveEmailChannel,
  saveWhatsAppChannel,
} from "../../commands/channels/channels";
import { testWhatsAppConnection } from "../../commands/channels/connection";
import type { Deps } from "../../deps";
import type { FormFailure, PageCall, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { csrfToken } from "../../middleware/csrf";
import type { TenantContext } from "../../tenancy/context";
import { presentEmail, presentWhatsApp, tierOptions, webhookSetup } from "./present";
import type { emailFormSchema, whatsAppFormSchema } from "./schema";

/** /settings/channels: the business's WhatsApp number and e-mail sender, owners and admins only. */
const base = "/settings/channels";

type Values = Record<string, unknown>;
interface Failed {
  form: "whatsapp" | "email";
  values: Values;
  errors: Record<string, string>;
  status: number;
}

async function render(
  req: Request,
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  failed?: Failed,
) {
  const channels = await loadChannels(deps, ctx);
  const whatsapp = presentWhatsApp(channels.whatsapp, ctx.business.timeZone);
  const email = presentEmail(channels.email);
  const wa = failed?.form === "whatsapp" ? failed : null;
  const em = failed?.form === "email" ? failed : null;
  const waValues: Values = wa?.values ?? {
    phoneNumberId: whatsapp.phoneNumberId,
    wabaId: whatsapp.wabaId,
    throughputTier: whatsapp.throughputTier,
    messagingLimitTier: channels.whatsapp
      ? (channels.whatsapp.messagingLimitTier ?? "unlimited")
      : 250,
    optOutKeywords: whatsapp.keywords,
  };
  res.status(failed?.status ?? 200).render("channels/index", {
    title: "Messaging channels",
    csrfToken: csrfToken(req),
    whatsapp,
    email,
    webhook: webhookSetup(deps.config),
    wa: { values: waValues, errors: wa?.errors ?? {}, tiers: tierOptions(waValues) },
    em: {
      values: em?.values ?? {
        fromName: email.fromName,
        fromAddress: email.fromAddress,
        replyTo: email.replyTo,
      },
      errors: em?.errors ?? {},
    },
  });
}

/** GET /settings/channels */
export async function showChannels({ req, res, deps, ctx }: PageCall) {
  await render(req, res, deps, ctx);
}

/** A form that did not save comes back on the page as typed (never the token), errors beside it. */
export function renderFailureOf(form: "whatsapp" | "email") {
  return async ({ req, res, deps, ctx }: PageFormCall, failure: FormFailure) => {
    const { accessToken: _token, smtpUrl: _url, ...values } = failure.values;
    await render(req, res, deps, ctx, {
      form,
      values,
      errors: failure.errors,
      status: failure.status,
    });
  };
}

/** POST /settings/channels/whatsapp: saves, then tests the connection when a token is saved. */
export async function saveWhatsApp({
  deps,
  ctx,
  body,
}: PageCall<{ body: typeof whatsAppFormSchema }>) {
  await saveWhatsAppChannel(deps, ctx, body);
  const outcome = await testWhatsAppConnection(deps, ctx);
  return redirect(`${base}#whatsapp`, {
    type: outcome.ok ? "success" : "danger",
    message: outcome.ok
      ? `WhatsApp saved. ${outcome.message}`
      : `WhatsApp saved, but the connection test failed: ${outcome.message}`,
  });
}

/** POST /settings/channels/whatsapp/test */
export async function testConnection({ deps, ctx }: PageCall) {
  const outcome = await testWhatsAppConnection(deps, ctx);
  return redirect(`${base}#whatsapp`, {
    type: outcome.ok ? "success" : "danger",
    message: outcome.ok ? outcome.message : `Connection test failed: ${outcome.message}`,
  });
}

/** POST /settings/channels/email */
export async function saveEmail({ deps, ctx, body }: PageCall<{ body: typeof emailFormSchema }>) {
  await saveEmailChannel(deps, ctx, body);
  return redirect(`${base}#email`, "E-mail sender saved.");
}
