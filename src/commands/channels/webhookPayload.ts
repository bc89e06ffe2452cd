import { z } from "zod";

/**
 * The parts of Meta's WhatsApp webhook body this app reads (CONTRACTS.md): loose objects, so a
 * field Meta adds never makes a delivery fail; anything malformed inside a change is skipped.
 */
const statusSchema = z.looseObject({
  id: z.string().min(1).max(191),
  status: z.string(),
  timestamp: z.union([z.string(), z.number()]),
  recipient_id: z.string().optional(),
  errors: z
    .array(
      z.looseObject({
        code: z.union([z.number(), z.string()]).optional(),
        title: z.string().optional(),
        message: z.string().optional(),
        error_data: z.looseObject({ details: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});

const inboundSchema = z.looseObject({
  from: z.string().min(1).max(32),
  id: z.string().min(1).max(191),
  timestamp: z.union([z.string(), z.number()]),
  type: z.string().max(32),
  text: z.looseObject({ body: z.string() }).optional(),
  button: z.looseObject({ text: z.string().optional(), payload: z.string().optional() }).optional(),
  interactive: z
    .looseObject({
      button_reply: z.looseObject({ title: z.string().optional() }).optional(),
      list_reply: z.looseObject({ title: z.string().optional() }).optional(),
    })
    .optional(),
});

export const messagesValueSchema = z.looseObject({
  metadata: z.looseObject({ phone_number_id: z.string().min(1).max(64) }),
  statuses: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  contacts: z
    .array(
      z.looseObject({
        wa_id: z.string().optional(),
        profile: z.looseObject({ name: z.string().optional() }).optional(),
      }),
    )
    .optional(),
});

export const templateUpdateSchema = z.looseObject({
  event: z.string().min(1).max(40),
  message_template_id: z.union([z.number(), z.string()]).optional(),
  message_template_name: z.string().max(512).optional(),
  message_template_language: z.string().max(20).optional(),
  reason: z.string().max(500).nullable().optional(),
});

export const webhookBodySchema = z.looseObject({
  object: z.string(),
  entry: z
    .array(
      z.looseObject({
        id: z.string().optional(),
        changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })).default([]),
      }),
    )
    .default([]),
});

export type WebhookBody = z.output<typeof webhookBodySchema>;
export type StatusEvent = z.output<typeof statusSchema>;
export type InboundEvent = z.output<typeof inboundSchema>;
export type MessagesValue = z.output<typeof messagesValueSchema>;

/** The items of a list that parse; the others are skipped (counted by the caller). */
export function parseEach<T>(schema: z.ZodType<T>, items: unknown[] | undefined): T[] {
  const parsed: T[] = [];
  for (const item of items ?? []) {
    const result = schema.safeParse(item);
    if (result.success) parsed.push(result.data);
  }
  return parsed;
}

export { inboundSchema, statusSchema };

/** Unix seconds (as Meta sends them) to a Date; null when unreadable. */
export function timeOf(timestamp: string | number): Date | null {
  const seconds = Number(timestamp);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : null;
}

/** What the customer wrote, from a text, a quick-reply button or an interactive reply. */
export function textOf(message: InboundEvent): string | null {
  return (
    message.text?.body ??
    message.button?.text ??
    message.interactive?.button_reply?.title ??
    message.interactive?.list_reply?.title ??
    null
  );
}
