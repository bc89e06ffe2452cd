import { buildBusiness, buildUser } from "../../test/factories";
import { testQueue } from "../../test/support/app";
import { testConfig } from "../../test/support/config";
import { useTestDatabase } from "../../test/support/database";
import { contextFor, testDeps } from "../../test/support/deps";
import {
  mockAccountParam,
  startSocialOAuth,
  type SocialOAuthServer,
} from "../../test/standins/social/oauth";
import { SocialStandIn } from "../../test/standins/social/server";
import { registerProcessors } from "../../workers/processors";
import { finishConnect, startConnect } from "../commands/socialAccounts/connect";
import type { Deps } from "../deps";
import { FakeClock } from "../lib/clock";
import { socialTokensStep } from "./socialTokens";

const db = useTestDatabase();
let oauth: SocialOAuthServer;
let standIn: SocialStandIn;

beforeAll(async () => {
  oauth = await startSocialOAuth();
  standIn = await new SocialStandIn().start();
  standIn.trustIssuer(oauth.url);
});
afterAll(async () => {
  await standIn.stop();
  await oauth.stop();
});

async function until(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("social tokens are refreshed ahead of expiry by a job", () => {
  it("queues one refresh per expiry when the token enters the window; the job renews it", async () => {
    const clock = new FakeClock("2030-04-01T08:00:00Z");
    const queue = testQueue(clock);
    const base = testDeps(db.current, { queue, clock });
    const deps: Deps = {
      ...base,
      config: testConfig({ ...oauth.settings(), ...standIn.settings() }),
    };
    registerProcessors(deps);
    await queue.startWorkers();
    try {
      const owner = await buildUser(deps.models, { planCode: "gold" });
      const { business } = await buildBusiness(deps.models, { owner });
      const ctx = await contextFor(db.current, business, owner);

      // Connect X through its real OAuth flow (PKCE), as the page does.
      const { url, pending } = await startConnect(deps, ctx, "x", false);
      const authorize = new URL(url);
      authorize.searchParams.set(
        "mock_account",
        mockAccountParam({ sub: `9${Date.now()}`, name: "Tok" }),
      );
      const back = new URL(
        (await fetch(authorize, { redirect: "manual" })).headers.get("location") as string,
      );
      const [account] = await finishConnect(
        deps,
        ctx,
        pending,
        back.searchParams.get("code") as string,
      );
      const firstToken = account!.accessTokenSealed;
      expect(account!.tokenExpiresAt?.toISOString()).toBe("2030-04-01T10:00:00.000Z");

      const context = { ...deps, now: clock.now(), pass: "periodic" as const };
      const mine = () => deps.models.SocialAccount.findByPk(account!.id);
      const jobId = (expires: Date | null | undefined) =>
        `refresh-social-token-${account!.id}-${expires?.getTime() ?? 0}`;
      // Two hours left: nothing to do. (Other files' accounts on this database may be due.)
      await socialTokensStep.run(context);
      expect(await queue.state("default", jobId(account!.tokenExpiresAt))).toBe("unknown");

      await clock.advance(95 * 60_000); // 25 minutes left, inside the 30-minute window
      expect(await socialTokensStep.run({ ...context, now: clock.now() })).toBeGreaterThanOrEqual(
        1,
      );
      await until(async () => (await mine())!.accessTokenSealed !== firstToken);
      const renewed = (await mine())!;
      expect(renewed.status).toBe("connected");
      expect(renewed.tokenExpiresAt?.toISOString()).toBe("2030-04-01T11:35:00.000Z");
      // The renewed expiry is outside the window: no refresh of it is queued.
      await socialTokensStep.run({ ...context, now: clock.now() });
      expect(await queue.state("default", jobId(renewed.tokenExpiresAt))).toBe("unknown");
    } finally {
      await queue.close();
      await base.loginLimiter.close();
      await base.rateLimits.close();
      await base.mailer.close();
    }
  });
});
