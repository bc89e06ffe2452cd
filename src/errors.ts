/**
 * The one error type the app raises on purpose. `id` is stable: clients and tests match on it,
 * so never rename one; add a new id instead.
 */
export const errorIds = {
  bad_request: 400,
  validation_failed: 422,
  unauthorized: 401,
  forbidden: 403,
  csrf_invalid: 403,
  /** A personal API token without the scope the endpoint needs (e.g. customers:write). */
  insufficient_scope: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  plan_limit: 402,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorId = keyof typeof errorIds;

const defaultMessages: Record<ErrorId, string> = {
  bad_request: "The request could not be understood.",
  validation_failed: "Some fields need attention.",
  unauthorized: "Please sign in to continue.",
  forbidden: "You do not have permission to do that.",
  csrf_invalid: "Your form expired or was sent from another site. Reload the page and try again.",
  insufficient_scope: "This token's scopes do not allow that.",
  not_found: "We could not find that page.",
  conflict: "That conflicts with an existing record.",
  payload_too_large: "That upload is too large.",
  unsupported_media_type: "The request body is in a format or encoding this address does not take.",
  rate_limited: "Too many attempts. Please wait a moment and try again.",
  plan_limit: "Your plan does not include this. Upgrade to continue.",
  internal_error: "Something went wrong on our side. It has been logged.",
  service_unavailable: "The service is starting or shutting down. Please retry shortly.",
};

export type ErrorDetails = Record<string, unknown>;

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly id: ErrorId,
    message?: string,
    readonly details?: ErrorDetails,
  ) {
    super(message ?? defaultMessages[id]);
    this.name = "AppError";
    this.status = errorIds[id];
  }

  static notFound(message?: string): AppError {
    return new AppError("not_found", message);
  }

  static forbidden(message?: string): AppError {
    return new AppError("forbidden", message);
  }

  /** Field errors keyed by field name, as forms and the API both show them. */
  static validation(fields: Record<string, string>, message?: string): AppError {
    return new AppError("validation_failed", message, { fields });
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
