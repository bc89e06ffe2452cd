import { z } from "zod";
import {
  notificationChannels,
  type NotificationChannel,
  type NotificationKey,
} from "../../lib/notificationPreferences";

export const nameSchema = z.object({
  name: z
    .string({ error: "Enter your name." })
    .trim()
    .min(1, { error: "Enter your name." })
    .max(120, { error: "Keep your name under 120 characters." }),
});

export const emailSchema = z.object({
  email: z
    .string({ error: "Enter a valid e-mail address." })
    .trim()
    .toLowerCase()
    .max(191, { error: "That address is too long." })
    .pipe(z.email({ error: "Enter a valid e-mail address." })),
});

/** A ticked checkbox sends its value; an unticked one sends nothing: e-mail or nothing. */
const emailBox = z
  .unknown()
  .optional()
  .transform((value): NotificationChannel =>
    value === "on" || value === "1" || value === "true" ? "email" : "none",
  );

/** In the app, by e-mail, both or neither (a field not sent: neither). */
const channel = z.preprocess(
  (value) => (value === undefined || value === "" ? "none" : value),
  z.enum(notificationChannels, { error: "Choose how to hear about it." }),
);

export const notificationsSchema = z.object({
  taskDue: channel,
  taskAssigned: channel,
  formSubmission: channel,
  importFinished: channel,
  campaignFinished: channel,
  reminders: emailBox,
  weeklyDigest: emailBox,
} satisfies Record<NotificationKey, z.ZodType<NotificationChannel>>);

const coordinate = z.coerce.number().int().min(-100_000).max(100_000);
const extent = z.coerce.number().int().min(1).max(100_000);

/** The crop box Cropper.js reports. Optional: without JavaScript the whole picture is sent. */
export const cropSchema = z.object({ x: coordinate, y: coordinate, width: extent, height: extent });
export type CropInput = z.infer<typeof cropSchema>;
export const cropMessage = "The crop area was not understood. Choose the picture again.";

/** null when no crop field was sent, the box when all four are valid integers, else an error. */
export function parseCrop(body: unknown): { ok: true; crop: CropInput | null } | { ok: false } {
  const fields = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
  const sent = ["x", "y", "width", "height"].filter(
    (k) => fields[k] !== undefined && fields[k] !== "",
  );
  if (sent.length === 0) return { ok: true, crop: null };
  const parsed = cropSchema.safeParse(fields);
  return parsed.success ? { ok: true, crop: parsed.data } : { ok: false };
}

/** The confirmation link's token; anything else reads as an invalid link. */
export const confirmSchema = z.object({
  token: z.string().min(16).max(200).optional().catch(undefined),
});

export const pageSchema = z.object({
  page: z.coerce.number().int().min(1).max(100_000).catch(1).default(1),
});

/** The photo form's fields besides the file: the crop box, when the cropper sent one. */
export const avatarFieldsSchema = z.record(z.string(), z.unknown()).transform((fields, ctx) => {
  const crop = parseCrop(fields);
  if (!crop.ok) {
    ctx.addIssue({ code: "custom", path: ["avatar"], message: cropMessage });
    return z.NEVER;
  }
  return { crop: crop.crop };
});

/** A served photo's file name (checked again against the names we write). */
export const avatarFileParams = z.object({ file: z.string().max(200) });

/** A session's public handle (never its id). */
export const sessionParams = z.object({ handle: z.string().max(200) });
