import { z } from "zod";
import type { PostInput, PostIntent } from "../../commands/social/validate";
import { occasionByCode } from "../../commands/social/occasions";
import { parseIsoDate, parseLocalDateTime } from "../../lib/dates";
import { idField, idParams } from "../../http/params";
import type { TenantContext } from "../../tenancy/context";

const messages = {
  text: "Keep the text under 63,206 characters.",
  intent: "Choose Save draft, Publish now or Schedule.",
  when: "Enter a date and time such as 2026-11-08 09:00.",
  account: "Choose accounts from the list.",
  media: "Choose a file from the media library.",
  template: "Choose a template from the library.",
  date: "Enter a date such as 2026-11-08.",
  view: "Choose the month or the week view.",
};

export const postParams = idParams("postId");
export const targetParams = idParams("postId", "targetId");
export const mediaParams = idParams("mediaId");
export const publicMediaParams = z.object({ key: z.string().max(80) });
export const templateParams = z.object({ code: z.string().max(40) });

const blank = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;
const list = (value: unknown) =>
  value === undefined ? [] : Array.isArray(value) ? (value as unknown[]) : [value];

/**
 * The post form: text, accounts (checkboxes), each account's variant (variant_<id>), a picture of
 * the library, and what to do — save a draft, publish now, or schedule at a wall-clock time of the
 * business's time zone. Parsed into the command's PostInput and PostIntent.
 */
export const postFormFor = (ctx: TenantContext) =>
  z
    .looseObject({
      text: z.string().max(63_206, messages.text).default(""),
      accountIds: z.preprocess(list, z.array(idField(messages.account))),
      mediaId: z.preprocess(blank, idField(messages.media).optional()),
      templateId: z.preprocess(
        blank,
        z
          .string()
          .max(40)
          .refine((code) => occasionByCode(code) !== null, messages.template)
          .optional(),
      ),
      intent: z.enum(["draft", "now", "schedule"], { error: messages.intent }),
      scheduledAt: z.preprocess(blank, z.string().max(40).optional()),
    })
    .transform((body, check): { input: PostInput; intent: PostIntent } => {
      const variants: Record<number, string> = {};
      for (const [key, value] of Object.entries(body)) {
        const match = /^variant_(\d{1,12})$/.exec(key);
        if (match && typeof value === "string") variants[Number(match[1])] = value.slice(0, 63_206);
      }
      const input: PostInput = {
        text: body.text,
        accountIds: body.accountIds,
        variants,
        mediaId: body.mediaId ?? null,
        templateId: body.templateId ?? null,
      };
      if (body.intent !== "schedule") return { input, intent: { kind: body.intent } };
      const at = body.scheduledAt
        ? parseLocalDateTime(body.scheduledAt, ctx.business.timeZone)
        : null;
      if (!at) {
        check.addIssue({ code: "custom", path: ["scheduledAt"], message: messages.when });
        return z.NEVER;
      }
      return { input, intent: { kind: "schedule", at } };
    });

/** The calendar's drag (or the reschedule form): a new wall-clock time in the business's zone. */
export const rescheduleFor = (ctx: TenantContext) =>
  z.object({
    scheduledAt: z
      .string()
      .max(40)
      .transform((value, check) => {
        const at = parseLocalDateTime(value, ctx.business.timeZone);
        if (!at) {
          check.addIssue({ code: "custom", message: messages.when });
          return z.NEVER;
        }
        return at;
      }),
    back: z.enum(["calendar", "post"]).default("post"),
    view: z.enum(["month", "week"]).default("month"),
  });

const isoDay = z.string().transform((value, check) => {
  const date = parseIsoDate(value);
  if (!date) {
    check.addIssue({ code: "custom", message: messages.date });
    return z.NEVER;
  }
  return date;
});

export const calendarQuery = z.object({
  view: z.preprocess(blank, z.enum(["month", "week"], { error: messages.view }).default("month")),
  date: z.preprocess(blank, isoDay.optional()),
});

export const postListQuery = z.object({
  status: z.preprocess(
    blank,
    z
      .enum(["draft", "scheduled", "publishing", "published", "partially_failed", "failed"])
      .optional(),
  ),
  accountId: z.preprocess(blank, idField().optional()),
  before: z.preprocess(blank, idField().optional()).catch(undefined),
});

export const newPostQuery = z.object({
  template: z.preprocess(blank, z.string().max(40).optional()),
  mediaId: z.preprocess(blank, idField().optional()).catch(undefined),
  date: z.preprocess(blank, isoDay.optional()),
});
