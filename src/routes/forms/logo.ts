import type { Request, Response } from "express";
import multer from "multer";
import { z } from "zod";
import {
  formLogoMaxBytes,
  logoMessages,
  removeFormLogo,
  saveFormLogo,
} from "../../commands/forms/logo";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { FormFailure, PageCall, PageFormCall } from "../../http/endpoint";
import { readMultipart } from "../../http/multipart";
import { redirect } from "../../http/outcomes";
import type { Form } from "../../models";
import { renderBuilder } from "./pages";
import type { formParams } from "./schema";

type OneForm = { params: typeof formParams; record: Form };

/** The logo form has no other fields. */
export const logoFieldsSchema = z.record(z.string(), z.unknown());

/**
 * Reads the logo form (one file, in memory, at most the logo's size plus a little, so the size
 * check is the command's) before the handler; a body that is not multipart is a 400.
 */
export function receiveLogo(_deps: Deps) {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: formLogoMaxBytes + 1, files: 1, fields: 5, parts: 6, fieldSize: 1024 },
  }).single("logo");
  return async (req: Request, res: Response): Promise<void> => {
    try {
      await readMultipart(upload, req, res);
    } catch (error) {
      if (!(error instanceof multer.MulterError)) throw error;
      if (error.code === "LIMIT_FILE_SIZE")
        throw AppError.validation({ logo: logoMessages.tooLarge }, logoMessages.tooLarge);
      throw AppError.validation({ logo: logoMessages.missing }, logoMessages.missing);
    }
    if (!req.file) throw AppError.validation({ logo: logoMessages.missing }, logoMessages.missing);
  };
}

/** A refused logo: the builder again, with the error beside the logo box. */
export function renderLogoFailure(
  { req, res, deps, ctx, record }: PageFormCall<{ record: Form }>,
  failure: FormFailure,
) {
  const message = failure.errors.logo ?? failure.error.message;
  return renderBuilder(req, res, deps, ctx, record, {
    logoError: message,
    status: failure.status,
  });
}

/** POST /forms/:formId/logo (multipart, field "logo"). */
export async function uploadLogo({ req, deps, ctx, record: form }: PageCall<OneForm>) {
  if (!req.file) throw AppError.validation({ logo: logoMessages.missing });
  await saveFormLogo(deps, ctx, form, req.file.buffer);
  return redirect(`/forms/${form.id}`, "Logo saved. It shows at the top of the public form.");
}

/** POST /forms/:formId/logo/delete */
export async function deleteLogo({ deps, ctx, record: form }: PageCall<OneForm>) {
  await removeFormLogo(deps, ctx, form);
  return redirect(`/forms/${form.id}`, "Logo removed.");
}
