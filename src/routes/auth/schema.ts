import { z } from "zod";
import { passwordProblems } from "../../lib/passwordPolicy";

const email = z
  .string()
  .trim()
  .toLowerCase()
  .email({ error: "Enter a valid e-mail address." })
  .max(191);

export const loginSchema = z.object({
  email,
  password: z.string().min(1, { error: "Enter your password." }).max(200),
  next: z.string().optional(),
});
export type LoginInput = z.infer<typeof loginSchema>;

/** The sign-in page's query: where to go afterwards, and which notice to show. */
const optionalText = z.string().optional().catch(undefined);
export const loginPageSchema = z.object({
  next: optionalText,
  signedOut: optionalText,
  reset: optionalText,
});

/** A new password, checked against the policy with the person's own details. */
function withPasswordPolicy<T extends { password: string; email?: string; name?: string }>(
  value: T,
  ctx: z.RefinementCtx,
): void {
  const problems = passwordProblems(value.password, { email: value.email, name: value.name });
  if (problems.length > 0)
    ctx.addIssue({ code: "custom", path: ["password"], message: problems.join(" ") });
}

export const registerSchema = z
  .object({
    name: z.string().trim().min(1, { error: "Enter your name." }).max(120),
    email,
    password: z.string().max(200),
  })
  .superRefine(withPasswordPolicy);

export const emailOnlySchema = z.object({ email });

export const resetPasswordSchema = z
  .object({ token: z.string().min(1).max(200), password: z.string().max(200) })
  .superRefine(withPasswordPolicy);

/** Changing one's password: checked against the policy with the person's own details. */
export function changePasswordSchema(person: { email: string; name: string }) {
  return z
    .object({
      currentPassword: z.string().min(1, { error: "Enter your current password." }).max(200),
      password: z.string().max(200),
    })
    .superRefine((value, ctx) => withPasswordPolicy({ ...value, ...person }, ctx));
}

/** A link's token, in the query or posted back (anything unexpected is an invalid link). */
export const tokenSchema = z.object({ token: z.string().catch("") });

/** Only same-site paths, so a crafted link cannot bounce a fresh login to another host. */
export function safeNext(next: string | undefined): string {
  return next && /^\/(?![/\\])/.test(next) ? next : "/";
}
