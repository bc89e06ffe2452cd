import { z } from "zod";
import { emailTemplateSchema } from "../../commands/emailTemplates/templates";
import { idField, idParams } from "../../http/params";

export { emailTemplateSchema };

export const templateParams = idParams("templateId");

const blank = (value: unknown) =>
  typeof value === "string" && value.trim() === "" ? undefined : value;

/** The customer the preview and the test are filled with; none: the sample customer. */
const customerField = z.preprocess(blank, idField("Choose a customer from the list.").optional());

/** The preview takes whatever is typed so far: empty fields preview as empty. */
export const previewSchema = z.object({
  subject: z.string().max(300).catch(""),
  html_body: z.string().max(500_000).catch(""),
  customer_id: customerField,
});

/** "Send me a test": the form as it stands (saved or not), filled with the chosen customer. */
export const testSchema = emailTemplateSchema.extend({ customer_id: customerField });
