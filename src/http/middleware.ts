import type { Request, RequestHandler, Response } from "express";

/**
 * Runs an Express middleware inside a handler: resolves when it calls next() or when it answers
 * (a redirect to an OAuth provider), rejects with the error it passes on.
 */
export function runMiddleware(
  req: Request,
  res: Response,
  middleware: RequestHandler,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const answered = () => resolve();
    res.once("finish", answered);
    res.once("close", answered);
    const next = (error?: unknown) => {
      res.off("finish", answered);
      res.off("close", answered);
      if (error && error !== "route" && error !== "router") reject(error);
      else resolve();
    };
    try {
      const result: unknown = middleware(req, res, next);
      if (result instanceof Promise) result.catch(reject);
    } catch (error) {
      reject(error);
    }
  });
}
