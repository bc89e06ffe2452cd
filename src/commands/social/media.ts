import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { Op } from "sequelize";
import { projectRoot, type Config } from "../../config";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { imageContentTypes, sniffImageType } from "../../lib/images";
import type { SocialMedia } from "../../models";
import { authorize, type TenantContext } from "../../tenancy/context";
import { tenantWhere } from "../../tenancy/scope";
import { actorOf } from "./audit";
import { occasionByCode } from "./occasions";
import { videoPoster } from "./poster";
import { imageSize } from "../../integrations/social/rules";

export const mediaMessages = {
  type: "That file is not a PNG, JPEG, GIF or WebP picture or an MP4/MOV video. Choose one of those.",
  missing: "Choose a picture or video to upload.",
  tooLarge: (mb: number) =>
    `That file is larger than ${mb} MB, more than any network takes. Choose a smaller one.`,
  inUse: "This file is on a scheduled or published post; remove it from those posts first.",
};

/** Largest upload into the media library (X takes the largest images; videos go up to here). */
export const mediaMaxBytes = 50 * 1024 * 1024;
/** A thumbnail the browser made (a small JPEG or PNG); larger ones are ignored. */
const thumbnailMaxBytes = 400_000;

/** The file's real type from its first bytes (never its name or the declared type). */
export function sniffMediaType(buffer: Buffer): { mime: string; ext: string } | null {
  const image = sniffImageType(buffer);
  if (image) return { mime: imageContentTypes[image], ext: image };
  if (buffer.length >= 6 && buffer.toString("latin1", 0, 4) === "GIF8")
    return { mime: "image/gif", ext: "gif" };
  if (buffer.length >= 12 && buffer.toString("latin1", 4, 8) === "ftyp") {
    const brand = buffer.toString("latin1", 8, 12);
    return brand === "qt  "
      ? { mime: "video/quicktime", ext: "mov" }
      : { mime: "video/mp4", ext: "mp4" };
  }
  return null;
}

/** Where a business's media files live, relative to UPLOADS_DIR. */
const folderOf = (businessId: number) => path.join("social", String(businessId));

/**
 * Stores an upload in the business's media library: its type read from its bytes, its size
 * checked, its dimensions read from the image header, and the thumbnail the browser made (when it
 * sent one that is a small picture; without it the page shows the file itself, scaled); a video
 * gets a poster made here instead (poster.ts).
 */
export async function saveMedia(
  deps: Pick<Deps, "models" | "config" | "clock">,
  ctx: TenantContext,
  upload: { buffer: Buffer; originalName: string; thumbnail?: Buffer | null },
): Promise<SocialMedia> {
  authorize(ctx, "campaigns.manage");
  const kind = sniffMediaType(upload.buffer);
  if (!kind) throw AppError.validation({ file: mediaMessages.type });
  if (upload.buffer.length > mediaMaxBytes)
    throw AppError.validation({ file: mediaMessages.tooLarge(mediaMaxBytes / 1024 / 1024) });
  const size = kind.mime.startsWith("image/") ? imageSize(upload.buffer) : null;
  const folder = folderOf(ctx.business.id);
  await mkdir(path.join(deps.config.uploadsDir, folder), { recursive: true });
  const name = randomBytes(16).toString("hex");
  const filePath = path.join(folder, `${name}.${kind.ext}`);
  await writeFile(path.join(deps.config.uploadsDir, filePath), upload.buffer, {
    flag: "wx",
    mode: 0o640,
  });
  let thumbnailPath: string | null = null;
  const originalName = upload.originalName.slice(0, 200) || `upload.${kind.ext}`;
  // A video gets a poster made here (poster.ts: name, type, size — not a frame of the video).
  const thumbnail = kind.mime.startsWith("video/")
    ? await videoPoster(originalName, kind.mime, upload.buffer.length)
    : upload.thumbnail;
  const thumbType = thumbnail ? sniffImageType(thumbnail) : null;
  if (thumbnail && thumbType && thumbnail.length <= thumbnailMaxBytes) {
    thumbnailPath = path.join(folder, `${name}-thumb.${thumbType}`);
    await writeFile(path.join(deps.config.uploadsDir, thumbnailPath), thumbnail, {
      flag: "wx",
      mode: 0o640,
    });
  }
  const now = deps.clock.now();
  return deps.models.SocialMedia.create({
    businessId: ctx.business.id,
    filePath,
    originalName,
    mimeType: kind.mime,
    bytes: upload.buffer.length,
    width: size?.width ?? null,
    height: size?.height ?? null,
    thumbnailPath,
    uploadedBy: actorOf(ctx),
    createdAt: now,
    updatedAt: now,
  });
}

/** The business's media library, newest first. */
export function listMedia(
  deps: Pick<Deps, "models">,
  ctx: TenantContext,
  limit = 60,
): Promise<SocialMedia[]> {
  return deps.models.SocialMedia.findAll({
    where: tenantWhere(ctx, deps.models.SocialMedia),
    order: [["id", "DESC"]],
    limit,
  });
}

/** Removes a file from the library unless a post that is not a draft uses it. */
export async function deleteMedia(
  deps: Pick<Deps, "models" | "config">,
  ctx: TenantContext,
  media: SocialMedia,
): Promise<void> {
  authorize(ctx, "campaigns.manage");
  const used = await deps.models.SocialPost.count({
    where: tenantWhere(ctx, deps.models.SocialPost, {
      mediaId: media.id,
      status: { [Op.ne]: "draft" },
    }),
  });
  if (used > 0) throw new AppError("conflict", mediaMessages.inUse);
  await media.destroy();
  for (const file of [media.filePath, media.thumbnailPath])
    if (file) await unlink(path.join(deps.config.uploadsDir, file)).catch(() => undefined);
}

/** The absolute path of a stored file (its relative path came from saveMedia, never from input). */
export function mediaFile(config: Pick<Config, "uploadsDir">, relative: string): string {
  return path.join(config.uploadsDir, relative);
}

function signature(
  config: Pick<Config, "secretsKey">,
  businessId: number,
  mediaId: number,
  filePath: string,
): string {
  return createHmac("sha256", config.secretsKey)
    .update(`social-media:${businessId}:${mediaId}:${filePath}`)
    .digest("hex")
    .slice(0, 40);
}

/**
 * The address Facebook and Instagram fetch a post's picture from: public, unguessable (signed with
 * SECRETS_KEY), naming one file of one business.
 */
export function publicMediaUrl(
  config: Pick<Config, "secretsKey" | "APP_URL">,
  media: SocialMedia,
): string {
  const key = `${media.businessId}-${media.id}-${signature(config, media.businessId, media.id, media.filePath)}`;
  return `${config.APP_URL.replace(/\/$/, "")}/m/social/${key}`;
}

/** The media a public key names, or null when the key is not one we signed. */
export async function mediaByPublicKey(
  deps: Pick<Deps, "models" | "config">,
  key: string,
): Promise<SocialMedia | null> {
  const match = /^(\d{1,12})-(\d{1,12})-([0-9a-f]{40})$/.exec(key);
  if (!match) return null;
  const [businessId, mediaId] = [Number(match[1]), Number(match[2])];
  const media = await deps.models.SocialMedia.findOne({
    where: tenantWhere({ businessId, ownRecordsOf: null }, deps.models.SocialMedia, {
      id: mediaId,
    }),
  });
  if (!media) return null;
  const expected = Buffer.from(signature(deps.config, businessId, mediaId, media.filePath));
  const given = Buffer.from(match[3]!);
  return expected.length === given.length && timingSafeEqual(expected, given) ? media : null;
}

/**
 * An occasion's picture (public/images/occasions/<code>.jpg, made for the project) added to the
 * business's library, so a post from its template can carry it.
 */
export async function addOccasionPicture(
  deps: Pick<Deps, "models" | "config" | "clock">,
  ctx: TenantContext,
  code: string,
): Promise<SocialMedia> {
  const occasion = occasionByCode(code);
  if (!occasion) throw AppError.notFound();
  const buffer = await readFile(
    path.join(projectRoot, "public", "images", "occasions", `${occasion.code}.jpg`),
  );
  return saveMedia(deps, ctx, { buffer, originalName: `${occasion.code}.jpg` });
}
