import { AppError } from "../../src/errors";

/**
 * The AppError a command's promise rejects with, for asserting its id and details; any other
 * error is thrown on, and a promise that resolves fails the test.
 */
export async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected the command to fail");
}
