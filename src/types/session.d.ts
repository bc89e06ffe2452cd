import "express-session";

export interface FlashMessage {
  type: "success" | "info" | "warning" | "danger";
  message: string;
}

declare module "express-session" {
  interface SessionData {
    userId?: number;
    /** The business chosen in the top bar's switcher. */
    businessId?: number;
    flash?: FlashMessage[];
    /** Where the session started, for the sessions list. */
    client?: { ip?: string; userAgent?: string };
  }
}
