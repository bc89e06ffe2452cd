import "express-session";
import type { PendingConnect } from "../commands/socialAccounts/connect";

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
    /** A social account's OAuth sign-in under way: its state and PKCE verifier (single use). */
    socialConnect?: PendingConnect;
  }
}
