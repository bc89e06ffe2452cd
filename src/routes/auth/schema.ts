import { z } from "zod";

export const loginSchema = z.object({
  email: z.string().trim().toLowerCase().email({ error: "Enter a valid e-mail address." }).max(191),
  password: z.string().min(1, { error: "Enter your password." }).max(200),
  next: z.string().optional(),
});

export type LoginInput = z.infer<typeof loginSchema>;

/** Only same-site paths, so a crafted link cannot bounce a fresh login to another host. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : "/";
}
