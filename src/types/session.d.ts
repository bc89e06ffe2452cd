import type { PendingConnect } from "../commands/socialAccounts/connect";

export interface FlashMessage {
  type: "success" | "info" | "warning" | "danger";
  message: string;
}

/** What a browser session keeps between requests (stored as its JSON). */
export interface SessionData {
  userId?: number;
  /** The business chosen in the top bar's switcher. */
  businessId?: number;
  flash?: FlashMessage[];
  /** Where the session started, for the sessions list. */
  client?: { ip?: string; userAgent?: string };
  /** A social account's OAuth sign-in under way: its state and PKCE verifier (single use). */
  socialConnect?: PendingConnect;
  /** The synchroniser token of the session's forms (csrf-sync reads and writes it). */
  csrfToken?: string;
}
