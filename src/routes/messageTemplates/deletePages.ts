import {
  campaignsUsingTemplate,
  deleteMessageTemplate,
} from "../../commands/messageTemplates/deletion";
import type { PageCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { csrfToken } from "../../middleware/csrf";
import type { MessageTemplate } from "../../models";

/**
 * Deleting a template, WhatsApp (/campaigns/templates/:id) or e-mail (/email-templates/:id): a
 * confirmation page first — naming the campaigns that still use it, in which case it offers no
 * button — then the POST, which refuses the same way (conflict, flashed back on the template).
 */
type One = { record: MessageTemplate };

const pathsOf = (template: MessageTemplate) =>
  template.channel === "email"
    ? { show: `/email-templates/${template.id}`, list: "/email-templates" }
    : {
        show: `/campaigns/templates/${template.id}`,
        list: "/campaigns/templates?channel=whatsapp",
      };

/** GET …/:id/delete */
export async function confirmTemplateDelete({ req, res, deps, ctx, record }: PageCall<One>) {
  const users = await campaignsUsingTemplate(deps, ctx, record);
  const paths = pathsOf(record);
  res.render("messageTemplates/confirmDelete", {
    title: `Delete ${record.name}?`,
    csrfToken: csrfToken(req),
    template: {
      name: record.name,
      whatsapp: record.channel === "whatsapp",
      submitted: record.channel === "whatsapp" && record.status !== "draft",
    },
    users: users.map((c) => ({ ...c, href: `/campaigns/${c.id}` })),
    action: `${paths.show}/delete`,
    cancelUrl: paths.show,
  });
}

/** POST …/:id/delete */
export async function removeTemplate({ deps, ctx, record }: PageCall<One>) {
  await deleteMessageTemplate(deps, ctx, record);
  return redirect(pathsOf(record).list, `Template ${record.name} deleted.`);
}

/** Where a refused delete goes back to: the template, with the reason flashed. */
export const backToTemplate = ({ record }: { record: MessageTemplate }) =>
  `${pathsOf(record).show}`;
