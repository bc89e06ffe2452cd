import { randomBytes } from "node:crypto";
import { mkdir, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Request } from "express";
import { AppError } from "../errors";
import { sniffImageType, type ImageType } from "../lib/images";
import type { Models, User } from "../models";
import { logActivity } from "./activityLogger";

/** Stored avatar names: <userId>-<random hex>.<ext>, in <uploadsDir>/avatars. */
export const avatarFilePattern = /^\d{1,12}-[0-9a-f]{32}\.(png|jpg|webp)$/;
export const avatarFolder = "avatars";

export interface CropBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const avatarMessages = {
  notAnImage:
    "That file is not a PNG, JPEG or WebP picture. Choose a photo in one of those formats.",
};

export function avatarDirectory(uploadsDir: string): string {
  return path.join(uploadsDir, avatarFolder);
}

/** The absolute file of a stored avatar name, or null when the name is not one we would write. */
export function avatarFile(uploadsDir: string, name: string): string | null {
  if (!avatarFilePattern.test(name)) return null;
  return path.join(avatarDirectory(uploadsDir), name);
}

async function removeFile(uploadsDir: string, relative: string | null): Promise<void> {
  if (!relative) return;
  const file = avatarFile(uploadsDir, path.basename(relative));
  if (!file) return;
  await unlink(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") throw error;
  });
}

/**
 * Stores an uploaded picture as the person's avatar. The content decides the format (the name and
 * declared type are ignored); the browser has already cropped it, so it is kept as sent.
 */
export async function saveAvatar(
  deps: { models: Models; uploadsDir: string },
  req: Request | null,
  user: User,
  upload: { buffer: Buffer; crop: CropBox | null },
): Promise<string> {
  const type: ImageType | null = sniffImageType(upload.buffer);
  if (!type) throw AppError.validation({ avatar: avatarMessages.notAnImage });

  const dir = avatarDirectory(deps.uploadsDir);
  await mkdir(dir, { recursive: true });
  const name = `${user.id}-${randomBytes(16).toString("hex")}.${type}`;
  const file = path.join(dir, name);
  await writeFile(file, upload.buffer, { flag: "wx", mode: 0o640 });

  const previous = user.avatarPath;
  const relative = `${avatarFolder}/${name}`;
  try {
    await user.update({ avatarPath: relative });
  } catch (error) {
    await unlink(file).catch(() => undefined);
    throw error;
  }
  await removeFile(deps.uploadsDir, previous);
  await logActivity(deps.models, req, {
    userId: user.id,
    action: "avatar.changed",
    details: { type, bytes: upload.buffer.length, ...(upload.crop ? { crop: upload.crop } : {}) },
  });
  return relative;
}

export async function removeAvatar(
  deps: { models: Models; uploadsDir: string },
  req: Request | null,
  user: User,
): Promise<void> {
  const previous = user.avatarPath;
  if (!previous) return;
  await user.update({ avatarPath: null });
  await removeFile(deps.uploadsDir, previous);
  await logActivity(deps.models, req, { userId: user.id, action: "avatar.removed" });
}
