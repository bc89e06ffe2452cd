import { randomBytes } from "node:crypto";
import { mkdir, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { sniffImageType } from "../../lib/images";
import type { Form } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { forgetPublicForm } from "./formCacheStore";
import { formsAction } from "./forms";

/** A form's logo: PNG, JPEG or WebP (told by its bytes), at most this size. */
export const formLogoMaxBytes = 512 * 1024;
/** Stored names: <formId>-<random hex>.<ext>, in <uploadsDir>/forms. */
export const formLogoPattern = /^\d{1,12}-[0-9a-f]{32}\.(png|jpg|webp)$/;
const folder = "forms";

export const logoMessages = {
  missing: "Choose a logo picture to upload.",
  notAnImage:
    "That file is not a PNG, JPEG or WebP picture. Choose a logo in one of those formats.",
  tooLarge: `That picture is larger than ${formLogoMaxBytes / 1024} KB. Choose a smaller logo.`,
};

/** The absolute file of a stored logo name, or null for a name we would never write. */
export function formLogoFile(uploadsDir: string, name: string | null): string | null {
  if (!name || !formLogoPattern.test(name)) return null;
  return path.join(uploadsDir, folder, name);
}

async function removeFile(uploadsDir: string, name: string | null): Promise<void> {
  const file = formLogoFile(uploadsDir, name);
  if (!file) return;
  await unlink(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
}

/**
 * Stores an uploaded logo for the form (shown on its public page): the content decides the
 * format — name and declared type are ignored — and a file that is no picture or too large is a
 * field error with nothing changed. The previous logo's file is removed once the new one is saved.
 */
export async function saveFormLogo(
  deps: Pick<Deps, "config" | "clock" | "sequelize">,
  ctx: TenantContext,
  form: Form,
  buffer: Buffer,
): Promise<Form> {
  authorize(ctx, formsAction);
  if (buffer.length === 0) throw AppError.validation({ logo: logoMessages.missing });
  if (buffer.length > formLogoMaxBytes) throw AppError.validation({ logo: logoMessages.tooLarge });
  const type = sniffImageType(buffer);
  if (!type) throw AppError.validation({ logo: logoMessages.notAnImage });
  const dir = path.join(deps.config.uploadsDir, folder);
  await mkdir(dir, { recursive: true });
  const name = `${form.id}-${randomBytes(16).toString("hex")}.${type}`;
  const file = path.join(dir, name);
  await writeFile(file, buffer, { flag: "wx", mode: 0o640 });
  const previous = form.logoFile;
  try {
    await form.update({ logoFile: name, updatedAt: deps.clock.now() });
  } catch (error) {
    await unlink(file).catch(() => undefined);
    throw error;
  }
  forgetPublicForm(deps, form.slug);
  await removeFile(deps.config.uploadsDir, previous);
  return form;
}

/** Removes the form's logo (the page then shows the business's name only). */
export async function removeFormLogo(
  deps: Pick<Deps, "config" | "clock" | "sequelize">,
  ctx: TenantContext,
  form: Form,
): Promise<void> {
  authorize(ctx, formsAction);
  const previous = form.logoFile;
  if (!previous) return;
  await form.update({ logoFile: null, updatedAt: deps.clock.now() });
  forgetPublicForm(deps, form.slug);
  await removeFile(deps.config.uploadsDir, previous);
}
