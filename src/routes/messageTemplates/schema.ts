import { z } from "zod";
import { idParams } from "../../http/params";
import type {
  TemplateButton,
  WhatsAppTemplateInput,
} from "../../commands/messageTemplates/validation";

/** How many placeholder rows and buttons the form carries. */
export const maxPlaceholders = 10;
export const maxButtons = 3;

const text = (max: number) => z.string().max(max, { error: `At most ${max} characters.` });
/**
 * The WhatsApp template form: the fields, then p<n>_source/p<n>_value per placeholder and
 * button<i>_type/_text/_url per button, gathered into the command's input (which checks the rest).
 */
export const whatsAppTemplateSchema = z
  .looseObject({
    name: text(200).default(""),
    language: text(20).default(""),
    category: text(40).default(""),
    headerText: text(500).default(""),
    body: text(5000).default(""),
    footerText: text(500).default(""),
  })
  .transform((form): WhatsAppTemplateInput => {
    const raw = form as Record<string, unknown>;
    const str = (key: string) => (typeof raw[key] === "string" ? (raw[key] as string) : "");
    const placeholders: WhatsAppTemplateInput["placeholders"] = {};
    for (let n = 1; n <= maxPlaceholders; n += 1)
      placeholders[String(n)] = {
        source: str(`p${n}_source`).slice(0, 40),
        value: str(`p${n}_value`).slice(0, 1000),
      };
    const buttons: TemplateButton[] = [];
    for (let i = 1; i <= maxButtons; i += 1) {
      const type = str(`button${i}_type`);
      if (type !== "QUICK_REPLY" && type !== "URL") continue;
      buttons.push({
        type,
        text: str(`button${i}_text`).slice(0, 200),
        url: str(`button${i}_url`).trim().slice(0, 2000),
      });
    }
    return {
      name: form.name,
      language: form.language,
      category: form.category,
      headerText: form.headerText,
      body: form.body,
      footerText: form.footerText,
      buttons,
      placeholders,
    };
  });

export const templateParams = idParams("whatsappTemplateId");

export const listQuery = z.object({
  channel: z
    .enum(["whatsapp", "email", ""], { error: "Choose WhatsApp, e-mail or all." })
    .optional()
    .transform((v) => v || undefined),
});

export const showQuery = z.object({
  customerId: z
    .string()
    .max(20)
    .optional()
    .transform((v) => (v && /^\d{1,12}$/.test(v) ? Number(v) : undefined)),
});
