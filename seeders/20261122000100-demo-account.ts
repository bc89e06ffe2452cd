import { generatePassword, hashPassword } from "../src/lib/password";
import type { Seeder } from "../src/db/migrator";

export const demoEmail = "demo@example.com";

/** The demo login: a fresh random password each install, shown once, never stored in the repo. */
export const up: Seeder = async ({ context }) => {
  const existing = await context.models.User.findOne({ where: { email: demoEmail } });
  if (existing) return;
  const password = generatePassword();
  await context.models.User.create({
    name: "Demo Owner",
    email: demoEmail,
    passwordHash: await hashPassword(password),
    activatedAt: new Date(),
    isPlatformAdmin: true,
  });
  context.announce(
    [
      "Demo account created (the password is shown only once; change it after signing in):",
      `  e-mail:   ${demoEmail}`,
      `  password: ${password}`,
      // The runtime adds the address it listens on below this line.
      "Open the app at:",
    ].join("\n"),
  );
};

export const down: Seeder = async ({ context }) => {
  await context.models.User.destroy({ where: { email: demoEmail } });
};
