import "express-session";

export interface FlashMessage {
  type: "success" | "info" | "warning" | "danger";
  message: string;
}

declare module "express-session" {
  interface SessionData {
    userId?: number;
    flash?: FlashMessage[];
    /** Where the session started, for the sessions list. */
    client?: { ip?: string; userAgent?: string };
  }
}
