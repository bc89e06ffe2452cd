import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { whatsAppApiFor, type WhatsAppApi } from "../../integrations/whatsapp/client";
import type { MessagingChannel } from "../../models";
import type { Scoped } from "../../tenancy/scope";
import { findChannel, openWhatsAppCredentials } from "./channels";

/**
 * "Test connection": GET /{phone_number_id} with the stored token. The outcome is recorded on the
 * channel — connected, or failing with Meta's reason — and answered for the page's message.
 */
export interface ConnectionOutcome {
  ok: boolean;
  message: string;
}

export async function testWhatsAppConnection(
  deps: Pick<Deps, "models" | "config" | "clock">,
  ctx: Scoped,
  api: WhatsAppApi = whatsAppApiFor(deps.config),
): Promise<ConnectionOutcome> {
  const channel = await findChannel(deps, ctx, "whatsapp");
  const credentials = channel ? openWhatsAppCredentials(deps, channel) : null;
  if (!channel || !credentials)
    throw new AppError("conflict", "Save the phone number id and access token first.");
  const result = await api.getPhoneNumber(credentials.phoneNumberId, credentials.token);
  const now = deps.clock.now();
  if (result.ok) {
    const name = result.info.verifiedName ?? result.info.displayPhoneNumber ?? "the number";
    await record(channel, { status: "connected", lastError: null, lastTestedAt: now });
    return { ok: true, message: `Connected to ${name}.` };
  }
  const reason =
    result.error.kind === "auth"
      ? `The access token was refused (code ${result.error.code}): ${result.error.message}`
      : `Meta answered code ${result.error.code}: ${result.error.message}`;
  await record(channel, { status: "failing", lastError: reason.slice(0, 500), lastTestedAt: now });
  return { ok: false, message: reason };
}

/**
 * Marks the channel failing because a send was refused for its token (code 190): the sender
 * calls it so the settings page says "reconnect" instead of campaigns failing silently.
 */
export async function markWhatsAppFailing(
  deps: Pick<Deps, "models" | "clock">,
  ctx: Scoped,
  reason: string,
): Promise<void> {
  const channel = await findChannel(deps, ctx, "whatsapp");
  if (channel)
    await record(channel, {
      status: "failing",
      lastError: reason.slice(0, 500),
      lastTestedAt: deps.clock.now(),
    });
}

async function record(
  channel: MessagingChannel,
  values: Pick<MessagingChannel, "status" | "lastError" | "lastTestedAt">,
): Promise<void> {
  await channel.update(values);
}
