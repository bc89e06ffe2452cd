import type { Request, Response } from "express";
import multer from "multer";
import {
  deleteMedia,
  listMedia,
  mediaByPublicKey,
  mediaFile,
  mediaMaxBytes,
  mediaMessages,
  saveMedia,
} from "../../commands/social/media";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import type { FormFailure, LoadCall, PageCall, PageFormCall, Call } from "../../http/endpoint";
import { readMultipart } from "../../http/multipart";
import { redirect } from "../../http/outcomes";
import { csrfToken } from "../../middleware/csrf";
import type { SocialMedia } from "../../models";
import type { TenantContext } from "../../tenancy/context";
import { findInBusiness } from "../../tenancy/scope";
import { presentMedia } from "./present";
import type { mediaParams } from "./schema";

type OneMedia = { params: typeof mediaParams; record: SocialMedia };

export function loadMedia({ deps, ctx, params }: LoadCall<TenantContext, { mediaId: number }>) {
  return findInBusiness(ctx, deps.models.SocialMedia, params.mediaId);
}

/** Reads the file (and the thumbnail the page's script made) into memory, at most 50 MB. */
export function receiveMedia(_deps: Deps) {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: mediaMaxBytes, files: 2, fields: 5, parts: 8, fieldSize: 1024 },
    defParamCharset: "utf8",
  }).fields([
    { name: "file", maxCount: 1 },
    { name: "thumbnail", maxCount: 1 },
  ]);
  return async (req: Request, res: Response): Promise<void> => {
    try {
      await readMultipart(upload, req, res);
    } catch (error) {
      if (error instanceof multer.MulterError && error.code === "LIMIT_FILE_SIZE")
        throw new AppError("payload_too_large", mediaMessages.tooLarge(mediaMaxBytes / 1_048_576), {
          fields: { file: mediaMessages.tooLarge(mediaMaxBytes / 1_048_576) },
        });
      if (error instanceof multer.MulterError)
        throw AppError.validation({ file: mediaMessages.missing });
      throw error;
    }
  };
}

type Files = Record<string, Express.Multer.File[] | undefined>;

async function renderLibrary(
  req: Request,
  res: Response,
  deps: Deps,
  ctx: TenantContext,
  errors: Record<string, string> = {},
  status = 200,
) {
  const media = await listMedia(deps, ctx);
  res.status(status).render("social/media", {
    title: "Media library",
    csrfToken: csrfToken(req),
    media: media.map(presentMedia),
    errors,
    maxMb: mediaMaxBytes / 1_048_576,
  });
}

/** GET /social/media */
export function showLibrary({ req, res, deps, ctx }: PageCall) {
  return renderLibrary(req, res, deps, ctx);
}

export function renderUploadFailure({ req, res, deps, ctx }: PageFormCall, failure: FormFailure) {
  return renderLibrary(
    req,
    res,
    deps,
    ctx,
    failure.errors.file ? failure.errors : { file: failure.error.message },
    failure.status,
  );
}

/** POST /social/media: one picture or video (type and size checked), with its thumbnail. */
export async function upload({ req, deps, ctx }: PageCall) {
  const files = (req.files ?? {}) as Files;
  const file = files.file?.[0];
  if (!file) throw AppError.validation({ file: mediaMessages.missing });
  const media = await saveMedia(deps, ctx, {
    buffer: file.buffer,
    originalName: file.originalname,
    thumbnail: files.thumbnail?.[0]?.buffer ?? null,
  });
  return redirect("/social/media", `${media.originalName} added to the library.`);
}

/** POST /social/media/:mediaId/delete */
export async function removeMedia({ deps, ctx, record }: PageCall<OneMedia>) {
  await deleteMedia(deps, ctx, record);
  return redirect("/social/media", `${record.originalName} removed.`);
}

function sendStored(res: Response, deps: Deps, relative: string, mimeType: string) {
  return new Promise<void>((resolve, reject) =>
    res.sendFile(
      mediaFile(deps.config, relative),
      {
        dotfiles: "deny",
        headers: {
          "Content-Type": mimeType,
          "Cache-Control": "private, max-age=3600",
          "X-Content-Type-Options": "nosniff",
        },
      },
      (err) => (err ? reject(AppError.notFound()) : resolve()),
    ),
  );
}

/** GET /social/media/:mediaId/file */
export function sendMedia({ res, deps, record }: PageCall<OneMedia>) {
  return sendStored(res, deps, record.filePath, record.mimeType);
}

/**
 * GET /social/media/:mediaId/thumb: the browser-made thumbnail (a video's poster), else the
 * picture itself; a video stored before posters were made has none.
 */
export function sendThumb({ res, deps, record }: PageCall<OneMedia>) {
  if (record.thumbnailPath) {
    const type = record.thumbnailPath.endsWith(".png")
      ? "image/png"
      : record.thumbnailPath.endsWith(".webp")
        ? "image/webp"
        : "image/jpeg";
    return sendStored(res, deps, record.thumbnailPath, type);
  }
  if (record.mimeType.startsWith("video/")) throw AppError.notFound();
  return sendStored(res, deps, record.filePath, record.mimeType);
}

/** GET /m/social/:key: the signed public address networks fetch a post's picture from. */
type PublicCall = Call<"public", unknown, { key: string }, unknown, unknown, undefined>;

export async function sendPublicMedia({ res, deps, params }: PublicCall) {
  const media = await mediaByPublicKey(deps, params.key);
  if (!media) throw AppError.notFound();
  return sendStored(res, deps, media.filePath, media.mimeType);
}
