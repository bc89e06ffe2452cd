import { createHmac, randomBytes } from "node:crypto";
import type { StandInNumber, StandInTemplate } from "./whatsappCloudRules";
import { errorTitles } from "./whatsappCloudRules";

/**
 * The webhooks the WhatsApp stand-in sends, shaped and signed like Meta's: message statuses,
 * inbound messages and template status updates, POSTed with X-Hub-Signature-256 (HMAC-SHA256 of
 * the exact body with the app secret).
 */
export type StatusName = "sent" | "delivered" | "read" | "failed";

export interface WebhookOptions {
  webhookUrl?: string;
  appSecret?: string;
  statusFlow?: StatusName[];
  autoDeliver?: boolean;
}

/** One status event waiting to be posted. */
export interface QueuedStatus {
  phoneNumberId: string;
  wabaId: string;
  displayPhoneNumber: string;
  wamid: string;
  to: string;
  status: StatusName;
  /** Unix seconds. */
  timestamp: number;
  errorCode: number | null;
}

/** Posts a signed body somewhere; answers the HTTP status. Tests may plug in their own. */
export type WebhookSender = (body: string, signature: string) => Promise<number>;

export class StatusWebhooks {
  /** Statuses waiting for deliver(). */
  readonly queued: QueuedStatus[] = [];
  /** Every body posted, with the answer's status. */
  readonly posted: Array<{ body: string; status: number }> = [];
  sender: WebhookSender | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    readonly options: WebhookOptions,
    private readonly now: () => number,
  ) {}

  set webhookUrl(url: string) {
    this.options.webhookUrl = url;
  }

  set appSecret(secret: string) {
    this.options.appSecret = secret;
  }

  /** The statuses an accepted send produces (or `failed` with its code). */
  queueFor(number: StandInNumber, wamid: string, to: string, failCode: number | null): void {
    const flow: StatusName[] = failCode
      ? ["failed"]
      : (this.options.statusFlow ?? ["sent", "delivered"]);
    const timestamp = Math.floor(this.now() / 1000);
    const events = flow.map((status, i) => ({
      phoneNumberId: number.phoneNumberId,
      wabaId: number.wabaId,
      displayPhoneNumber: number.displayPhoneNumber.replace(/\D/g, ""),
      wamid,
      to,
      status,
      timestamp: timestamp + i,
      errorCode: status === "failed" ? failCode : null,
    }));
    if (this.options.autoDeliver) for (const e of events) this.track(this.post(statusBody([e])));
    else this.queued.push(...events);
  }

  /**
   * Posts every queued status, each `duplicates` times (default 1) and in shuffled order when
   * asked, `concurrency` at a time. Answers how many posts were made and how many were not 200.
   */
  async deliver(
    options: { duplicates?: number; shuffle?: boolean; concurrency?: number } = {},
  ): Promise<{ posted: number; refused: number }> {
    const events = this.queued.splice(0, this.queued.length);
    const all: QueuedStatus[] = [];
    for (let i = 0; i < (options.duplicates ?? 1); i += 1) all.push(...events);
    if (options.shuffle) shuffle(all);
    let refused = 0;
    let next = 0;
    const worker = async () => {
      while (next < all.length) {
        const event = all[next] as QueuedStatus;
        next += 1;
        if ((await this.post(statusBody([event]))) !== 200) refused += 1;
      }
    };
    await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
    return { posted: all.length, refused };
  }

  /** A customer writes to the business's number: Meta's inbound `messages` webhook. */
  async inbound(
    number: StandInNumber,
    from: string,
    text: string,
    profileName = "Customer",
  ): Promise<{ id: string; status: number }> {
    const id = `wamid.${randomBytes(18).toString("base64url")}`;
    const value = {
      messaging_product: "whatsapp",
      metadata: {
        display_phone_number: number.displayPhoneNumber.replace(/\D/g, ""),
        phone_number_id: number.phoneNumberId,
      },
      contacts: [{ profile: { name: profileName }, wa_id: from.replace(/^\+/, "") }],
      messages: [
        {
          from: from.replace(/^\+/, ""),
          id,
          timestamp: String(Math.floor(this.now() / 1000)),
          type: "text",
          text: { body: text },
        },
      ],
    };
    const body = envelope(number.wabaId, "messages", value);
    return { id, status: await this.post(body) };
  }

  /** Meta's message_template_status_update for a decided template. */
  templateStatus(template: StandInTemplate): Promise<number> {
    return this.post(
      envelope(template.wabaId, "message_template_status_update", {
        event: template.status,
        message_template_id: Number(template.id),
        message_template_name: template.name,
        message_template_language: template.language,
        reason: template.rejectedReason,
      }),
    );
  }

  /** Posts one signed body; answers the status (0 when the app could not be reached). */
  async post(body: string): Promise<number> {
    const secret = this.options.appSecret ?? "";
    const signature = `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
    let status = 0;
    try {
      if (this.sender) status = await this.sender(body, signature);
      else if (this.options.webhookUrl) {
        const response = await fetch(this.options.webhookUrl, {
          method: "POST",
          headers: { "content-type": "application/json", "x-hub-signature-256": signature },
          body,
        });
        status = response.status;
        await response.arrayBuffer();
      }
    } catch {
      status = 0;
    }
    this.posted.push({ body, status });
    return status;
  }

  /** Resolves when every automatically posted webhook has been answered. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private track(promise: Promise<unknown>): void {
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise));
  }
}

function statusBody(events: QueuedStatus[]): string {
  const first = events[0] as QueuedStatus;
  return envelope(first.wabaId, "messages", {
    messaging_product: "whatsapp",
    metadata: {
      display_phone_number: first.displayPhoneNumber,
      phone_number_id: first.phoneNumberId,
    },
    statuses: events.map((e) => ({
      id: e.wamid,
      status: e.status,
      timestamp: String(e.timestamp),
      recipient_id: e.to,
      ...(e.status === "sent"
        ? {
            conversation: { id: `conv-${e.to}`, origin: { type: "marketing" } },
            pricing: { billable: true, pricing_model: "CBP", category: "marketing" },
          }
        : {}),
      ...(e.errorCode
        ? {
            errors: [
              {
                code: e.errorCode,
                title: errorTitles[e.errorCode] ?? "Error",
                message: errorTitles[e.errorCode] ?? "Error",
                error_data: { details: errorTitles[e.errorCode] ?? "Error" },
              },
            ],
          }
        : {}),
    })),
  });
}

function envelope(wabaId: string, field: string, value: unknown): string {
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: wabaId, changes: [{ field, value }] }],
  });
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}
