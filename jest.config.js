// One suite, two databases: SQLite by default; MySQL + Redis when DATABASE_URL / REDIS_URL are set.
const withRedis = Boolean(process.env.REDIS_URL);
// Suites whose timing bounds assume their worker processes are not starved by another suite
// beside them; CI leaves them out of the parallel run (JEST_SEPARATE=skip) and runs them alone.
// The limiter's exact-spacing test reads slot times through round trips, which a starved process
// stretches (CI, 2026-12-03: 11.8 ms off against its bound of 8).
const separate = [
  "/src/commands/campaigns/sending/faults\\.redis\\.test\\.ts$",
  "/src/commands/campaigns/sending/limiter\\.redis\\.test\\.ts$",
];

const shared = {
  testEnvironment: "node",
  transform: { "^.+\\.ts$": ["ts-jest", { tsconfig: "tsconfig.json" }] },
  setupFiles: ["<rootDir>/test/support/env.ts"],
  globalSetup: "<rootDir>/test/support/globalSetup.ts",
  roots: ["<rootDir>/src", "<rootDir>/test", "<rootDir>/workers", "<rootDir>/migrations"],
};

module.exports = {
  // Two jest workers share this 2-core machine with MariaDB and the child processes some tests
  // start: 30 s ran out for tests that took 5 s alone (CI, 2026-12-02).
  testTimeout: 60000,
  // Once per run, beside each project's database setup: the OAuth2 stand-in for Google (ESM-only).
  globalSetup: "<rootDir>/test/support/oauthServer.mjs",
  globalTeardown: "<rootDir>/test/support/oauthServerTeardown.mjs",
  projects: [
    {
      ...shared,
      displayName: "app",
      testMatch: ["**/*.test.ts"],
      // Redis-only suites (the BullMQ driver, a separate worker process) need REDIS_URL.
      testPathIgnorePatterns: [
        "/node_modules/",
        "\\.browser\\.test\\.ts$",
        ...(withRedis ? [] : ["\\.redis\\.test\\.ts$"]),
        ...(process.env.JEST_SEPARATE === "skip" ? separate : []),
      ],
    },
    {
      ...shared,
      displayName: "browser",
      testEnvironment: "<rootDir>/test/support/browserEnvironment.ts",
      testMatch: ["**/*.browser.test.ts"],
      setupFilesAfterEnv: ["<rootDir>/test/support/browserTimeout.ts"],
    },
  ],
};
