import type { Request, RequestHandler, Response } from "express";
import multer from "multer";
import { AppError } from "../errors";

const messages = {
  unreadable:
    "The upload could not be read: it was cut off or is not a valid multipart form. Choose the file and send the form again.",
};

/**
 * A failure of the file system or of our own code carries an errno (ENOSPC, EACCES…); what busboy
 * and multer raise about the bytes the client sent (no boundary, a truncated body, a malformed
 * part header, a connection closed mid-upload) is a plain Error without one.
 */
function isSystemError(error: Error): boolean {
  return "errno" in error || "syscall" in error;
}

/**
 * Runs a multer middleware and settles once the body is read. Its limits (MulterError) are left to
 * the caller, which words them for its form; a body that cannot be parsed is the client's fault:
 * 400 bad_request, never a 500.
 */
export async function readMultipart(
  upload: RequestHandler,
  req: Request,
  res: Response,
): Promise<void> {
  try {
    await new Promise<void>((resolve, reject) => {
      const result: unknown = upload(req, res, (err: unknown) => (err ? reject(err) : resolve()));
      if (result instanceof Promise) result.catch(reject);
    });
  } catch (error) {
    if (error instanceof multer.MulterError) throw error;
    if (error instanceof Error && !isSystemError(error))
      throw new AppError("bad_request", messages.unreadable, { reason: "multipart_unreadable" });
    throw error;
  }
}
