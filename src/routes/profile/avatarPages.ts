import path from "node:path";
import type { Request, Response } from "express";
import multer from "multer";
import { avatarFile, removeAvatar, saveAvatar } from "../../commands/avatarSaver";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { readMultipart } from "../../http/multipart";
import type { AccountCall, FormFailure, PageFormCall } from "../../http/endpoint";
import { redirect, reply } from "../../http/outcomes";
import { imageContentTypes } from "../../lib/images";
import { flash } from "../../middleware/flash";
import type { User } from "../../models";
import type { RequestContext } from "../../tenancy/context";
import type { avatarFieldsSchema, avatarFileParams } from "./schema";
import { profileView, sizeText, wantsJson } from "./view";

const messages = {
  missing: "Choose a picture to upload.",
  saved: "Your photo was updated.",
  removed: "Your photo was removed.",
};

type Me = { record: User };

/**
 * Reads the photo form (one file, in memory, at most AVATAR_MAX_BYTES) before its fields are
 * validated; a refused file is a field error beside the photo, a body that is not a readable
 * multipart form a 400 (http/multipart.ts).
 */
export function receiveAvatar(deps: Deps) {
  const maxBytes = deps.config.AVATAR_MAX_BYTES;
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 12, fieldSize: 1024 },
  }).single("avatar");
  return async (req: Request, res: Response): Promise<void> => {
    try {
      await readMultipart(upload, req, res);
    } catch (error) {
      if (!(error instanceof multer.MulterError)) {
        // The cropper script reads JSON; the error handler writes the envelope then.
        if (wantsJson(req)) res.locals.responds = "json";
        throw error;
      }
      if (error.code === "LIMIT_FILE_SIZE") {
        const message = `That picture is larger than ${sizeText(maxBytes)}. Choose a smaller one, or crop it first.`;
        throw new AppError("payload_too_large", message, { fields: { avatar: message } });
      }
      throw AppError.validation({ avatar: messages.missing });
    }
    if (!req.file) throw AppError.validation({ avatar: messages.missing }, messages.missing);
  };
}

/** A refused photo: JSON for the cropper script, the profile page with the error otherwise. */
export async function renderAvatarFailure(
  { req, res, deps, record: user }: PageFormCall<Me, RequestContext>,
  failure: FormFailure,
) {
  const message = failure.errors.avatar ?? failure.error.message;
  if (wantsJson(req)) {
    // The error handler writes the envelope, as for the API.
    res.locals.responds = "json";
    throw new AppError(failure.error.id, message, { fields: { avatar: message } });
  }
  res
    .status(failure.status)
    .render("profile/show", await profileView(deps, user, { errors: { avatar: message } }));
}

/** POST /profile/avatar (multipart; the cropper script asks for JSON). */
export async function uploadAvatar({
  req,
  deps,
  body,
  record: user,
}: AccountCall<Me & { body: typeof avatarFieldsSchema }>) {
  const file = req.file;
  if (!file) throw AppError.validation({ avatar: messages.missing });
  const avatarPath = await saveAvatar(
    { models: deps.models, uploadsDir: deps.config.uploadsDir },
    req,
    user,
    { buffer: file.buffer, crop: body.crop },
  );
  if (wantsJson(req)) {
    flash(req, "success", messages.saved);
    const avatarUrl = `/avatars/${path.basename(avatarPath)}`;
    return reply({ avatarUrl, redirect: "/profile" }, messages.saved);
  }
  return redirect("/profile", messages.saved, { status: 303 });
}

/** POST /profile/avatar/delete */
export async function deleteAvatar({ req, deps, record: user }: AccountCall<Me>) {
  await removeAvatar({ models: deps.models, uploadsDir: deps.config.uploadsDir }, req, user);
  return redirect("/profile", messages.removed, { status: 303 });
}

/** GET /avatars/:file: only names we write, from the avatars folder only. */
export async function serveAvatar({
  res,
  deps,
  params,
}: AccountCall<{ params: typeof avatarFileParams }>) {
  const file = avatarFile(deps.config.uploadsDir, params.file);
  if (!file) throw AppError.notFound();
  const extension = path.extname(file).slice(1);
  const contentType = Object.entries(imageContentTypes).find(([type]) => type === extension)?.[1];
  if (!contentType) throw AppError.notFound();
  // Headers apply only when the file is really sent; a missing file gets the plain 404 page.
  const headers = {
    "Content-Type": contentType,
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, max-age=86400",
    "Content-Disposition": "inline",
  };
  await new Promise<void>((resolve, reject) =>
    res.sendFile(file, { dotfiles: "deny", headers }, (err) =>
      err && !res.headersSent ? reject(AppError.notFound()) : resolve(),
    ),
  );
}
