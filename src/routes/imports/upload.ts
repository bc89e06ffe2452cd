import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import type { Request, Response } from "express";
import multer from "multer";
import { importLimits } from "../../commands/imports/deps";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { readMultipart } from "../../http/multipart";

/**
 * Receives one import file straight to disk (never into memory), at most IMPORT_MAX_BYTES; an
 * oversize upload is cut off at the limit and its partial file removed by multer.
 */
export function sizeText(bytes: number): string {
  return bytes >= 1_048_576
    ? `${Math.round((bytes / 1_048_576) * 10) / 10} MB`
    : `${Math.round(bytes / 1024)} KB`;
}

export interface ReceivedUpload {
  path: string;
  originalName: string;
  size: number;
}

/**
 * The upload step of the import endpoints: the file to disk, then its fields for the body schema.
 * An oversize file is a 413 a person can act on; a missing one a field error; a body that is not
 * a readable multipart form a 400 (http/multipart.ts).
 */
export function receiveImportFile(deps: Pick<Deps, "config">) {
  const limits = importLimits(deps.config);
  mkdirSync(limits.dir, { recursive: true });
  const upload = multer({
    storage: multer.diskStorage({
      destination: limits.dir,
      filename: (_req, _file, done) => done(null, `upload-${randomUUID()}`),
    }),
    limits: { fileSize: limits.maxBytes, files: 1, fields: 40, parts: 42, fieldSize: 10_000 },
    // Browsers send file names as UTF-8 without saying so.
    defParamCharset: "utf8",
  }).single("file");

  return async (req: Request, res: Response): Promise<void> => {
    try {
      await readMultipart(upload, req, res);
    } catch (error) {
      if (error instanceof multer.MulterError && error.code === "LIMIT_FILE_SIZE") {
        throw new AppError(
          "payload_too_large",
          `The file is larger than ${sizeText(limits.maxBytes)}, the most one import takes. Split it into smaller files.`,
          { fields: { file: "Too large." }, maxBytes: limits.maxBytes },
        );
      }
      if (error instanceof multer.MulterError)
        throw AppError.validation({ file: "Choose one CSV or Excel file to upload." });
      throw error;
    }
    if (!req.file) throw AppError.validation({ file: "Choose a CSV or Excel file to upload." });
  };
}

/** The file the upload step stored, for the handler. */
export function receivedUpload(req: Request): ReceivedUpload {
  if (!req.file) throw AppError.validation({ file: "Choose a CSV or Excel file to upload." });
  return { path: req.file.path, originalName: req.file.originalname, size: req.file.size };
}
