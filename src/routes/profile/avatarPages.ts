import path from "node:path";
import { Router, type Request, type Response } from "express";
import multer from "multer";
import type { Deps } from "../../deps";
import { avatarFile, removeAvatar, saveAvatar } from "../../commands/avatarSaver";
import { AppError, type ErrorId } from "../../errors";
import { imageContentTypes, type ImageType } from "../../lib/images";
import { flash } from "../../middleware/flash";
import { cropMessage, parseCrop } from "./schema";
import { currentUserRecord, fieldErrorsOf, sizeText, profileView, wantsJson } from "./view";

const messages = {
  missing: "Choose a picture to upload.",
  saved: "Your photo was updated.",
  removed: "Your photo was removed.",
};

/** Reads the multipart body (one file, in memory, at most AVATAR_MAX_BYTES). */
function receiveUpload(maxBytes: number) {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 10, parts: 12, fieldSize: 1024 },
  }).single("avatar");
  return (req: Request, res: Response): Promise<void> =>
    new Promise((resolve, reject) =>
      upload(req, res, (err: unknown) => (err ? reject(err) : resolve())),
    );
}

/** Turns a failed upload into the status and message the person sees beside the photo. */
function uploadFailure(error: unknown, maxBytes: number): { id: ErrorId; message: string } | null {
  if (error instanceof multer.MulterError) {
    if (error.code === "LIMIT_FILE_SIZE") {
      return {
        id: "payload_too_large",
        message: `That picture is larger than ${sizeText(maxBytes)}. Choose a smaller one, or crop it first.`,
      };
    }
    return { id: "validation_failed", message: messages.missing };
  }
  const fields = fieldErrorsOf(error);
  if (fields?.errors.avatar) return { id: "validation_failed", message: fields.errors.avatar };
  return null;
}

export function avatarPages(deps: Deps): Router {
  const router = Router();
  const { config } = deps;
  const receive = receiveUpload(config.AVATAR_MAX_BYTES);
  const commandDeps = { models: deps.models, uploadsDir: config.uploadsDir };

  async function fail(req: Request, res: Response, id: ErrorId, message: string): Promise<void> {
    const error = new AppError(id, message, { fields: { avatar: message } });
    res.status(error.status);
    if (wantsJson(req)) {
      res.json({ statusCode: error.status, error: id, message, details: error.details });
      return;
    }
    const user = await currentUserRecord(deps, req);
    res.render("profile/show", await profileView(deps, user, { errors: { avatar: message } }));
  }

  router.post("/profile/avatar", async (req, res) => {
    const user = await currentUserRecord(deps, req);
    try {
      await receive(req, res);
      if (!req.file) return fail(req, res, "validation_failed", messages.missing);
      const crop = parseCrop(req.body);
      if (!crop.ok) return fail(req, res, "validation_failed", cropMessage);
      const avatarPath = await saveAvatar(commandDeps, req, user, {
        buffer: req.file.buffer,
        crop: crop.crop,
      });
      flash(req, "success", messages.saved);
      if (wantsJson(req)) {
        res.json({
          statusCode: 200,
          data: { avatarUrl: `/avatars/${path.basename(avatarPath)}`, redirect: "/profile" },
          message: messages.saved,
        });
        return;
      }
      res.redirect(303, "/profile");
    } catch (error) {
      const failure = uploadFailure(error, config.AVATAR_MAX_BYTES);
      if (!failure) throw error;
      await fail(req, res, failure.id, failure.message);
    }
  });

  router.post("/profile/avatar/delete", async (req, res) => {
    const user = await currentUserRecord(deps, req);
    await removeAvatar(commandDeps, req, user);
    flash(req, "success", messages.removed);
    res.redirect(303, "/profile");
  });

  // Only names we write are served, from the avatars folder only: no other path can be reached.
  router.get("/avatars/:file", (req, res, next) => {
    const name = req.params.file;
    const file = typeof name === "string" ? avatarFile(config.uploadsDir, name) : null;
    if (!file) return next(AppError.notFound());
    const type = path.extname(file).slice(1) as ImageType;
    // Headers apply only when the file is really sent; a missing file gets the plain 404 page.
    const headers = {
      "Content-Type": imageContentTypes[type],
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, max-age=86400",
      "Content-Disposition": "inline",
    };
    res.sendFile(file, { dotfiles: "deny", headers }, (err) => {
      if (err && !res.headersSent) next(AppError.notFound());
    });
  });

  return router;
}
