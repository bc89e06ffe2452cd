import { z } from "zod";

/** The WhatsApp form: the number, its account, the token (blank keeps it), tiers and keywords. */
const numericId = (what: string) =>
  z
    .string()
    .trim()
    .regex(/^\d{5,32}$/, { error: `Enter the ${what}: the digits Meta shows (WhatsApp Manager).` });

const keywordList = z
  .string()
  .default("")
  .transform((text) =>
    text
      .split(/[,\n]/)
      .map((w) => w.trim().toUpperCase())
      .filter(Boolean),
  )
  .refine((words) => words.every((w) => /^[\p{L}\p{N} ]{1,30}$/u.test(w)), {
    error: "Keywords are words of letters and digits, up to 30 characters each.",
  })
  .refine((words) => words.length <= 20, { error: "At most 20 keywords." })
  .transform((words) => [...new Set(words)]);

export const whatsAppFormSchema = z.object({
  phoneNumberId: numericId("phone number id"),
  wabaId: numericId("WhatsApp Business Account id"),
  accessToken: z
    .string()
    .trim()
    .max(2000, { error: "That is longer than any access token." })
    .regex(/^\S*$/, { error: "An access token has no spaces." })
    .default(""),
  throughputTier: z
    .enum(["80", "1000"], { error: "Choose 80 or 1,000 messages per second." })
    .transform((v) => Number(v) as 80 | 1000),
  messagingLimitTier: z
    .enum(["250", "2000", "10000", "100000", "unlimited"], { error: "Choose a messaging limit." })
    .transform((v) => (v === "unlimited" ? null : (Number(v) as 250 | 2000 | 10_000 | 100_000))),
  optOutKeywords: keywordList,
});

const optionalEmail = z
  .string()
  .trim()
  .default("")
  .transform((v) => (v === "" ? null : v))
  .pipe(z.email({ error: "Enter an e-mail address, or leave it empty." }).max(254).nullable());

export const emailFormSchema = z.object({
  fromName: z
    .string()
    .trim()
    .min(1, { error: "Enter the name your customers see as the sender." })
    .max(120, { error: "At most 120 characters." }),
  fromAddress: z.email({ error: "Enter the address your e-mails come from." }).max(254),
  replyTo: optionalEmail,
  smtpUrl: z
    .string()
    .trim()
    .max(1000, { error: "At most 1,000 characters." })
    .refine((v) => v === "" || /^smtps?:\/\/[^\s]+$/.test(v), {
      error: "An SMTP URL looks like smtps://user:password@smtp.example.com:465.",
    })
    .default(""),
  usePlatformSmtp: z
    .string()
    .optional()
    .transform((v) => v === "on"),
});
