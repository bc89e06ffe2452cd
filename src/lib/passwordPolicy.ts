/**
 * Password rules, shared by the server (authoritative) and described to the browser's strength
 * meter (public/js/password-meter.js mirrors `passwordScore`).
 */
export const minPasswordLength = 10;

const common = new Set([
  "password",
  "password1",
  "password123",
  "1234567890",
  "12345678910",
  "qwertyuiop",
  "iloveyou123",
  "welcome123",
  "admin12345",
  "letmein123",
]);

function classes(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
}

/** 0 (very weak) … 4 (strong). */
export function passwordScore(password: string): number {
  if (password.length < minPasswordLength) return password.length < 6 ? 0 : 1;
  let score = classes(password) >= 3 ? 3 : 2;
  if (password.length >= 16) score += 1;
  return Math.min(score, 4);
}

/** What is wrong with a new password, in words a person can act on; empty when acceptable. */
export function passwordProblems(
  password: string,
  person: { email?: string; name?: string } = {},
): string[] {
  const problems: string[] = [];
  if (password.length < minPasswordLength)
    problems.push(`Use at least ${minPasswordLength} characters.`);
  if (password.length > 200) problems.push("Use at most 200 characters.");
  if (password.length < 16 && classes(password) < 3) {
    problems.push(
      "Mix at least three of: lower-case, upper-case, digits, symbols — or use 16+ characters.",
    );
  }
  const lowered = password.toLowerCase();
  if (common.has(lowered)) problems.push("That password is too common.");
  const local = person.email?.split("@")[0]?.toLowerCase();
  if (local && local.length >= 4 && lowered.includes(local))
    problems.push("Do not use your e-mail address in it.");
  return problems;
}
