import { buildSocialAccount } from "../../../test/factoriesSocial";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, type Agent } from "../../../test/support/customers";
import { csrfFrom } from "../../../test/support/forms";
import {
  mockAccountParam,
  startSocialOAuth,
  type SocialOAuthServer,
} from "../../../test/standins/social/oauth";
import { SocialStandIn, type StandInPage } from "../../../test/standins/social/server";
import { publishWithAccount } from "../../commands/socialAccounts/publish";
import { refreshIfDue } from "../../commands/socialAccounts/tokens";
import { SocialError } from "../../integrations/social";
import { FakeClock } from "../../lib/clock";
import { openSecret } from "../../lib/secretBox";
import type { SocialNetwork } from "../../models";

/** Issue 14, accounts: each network's OAuth flow against the stand-ins, tokens, refresh, limits. */
let t: TestApp;
let oauth: SocialOAuthServer;
let standIn: SocialStandIn;
const clock = new FakeClock("2026-12-10T09:00:00Z");

beforeAll(async () => {
  oauth = await startSocialOAuth();
  standIn = await new SocialStandIn().start();
  standIn.trustIssuer(oauth.url);
  t = await buildTestApp({ ...oauth.settings(), ...standIn.settings() }, { clock });
});
afterAll(async () => {
  await t.close();
  await standIn.stop();
  await oauth.stop();
});

interface Person {
  sub: string;
  name: string;
  pages?: StandInPage[];
}

let counter = 0;
const person = (pages?: StandInPage[]): Person => {
  counter += 1;
  return { sub: `member${counter}${Date.now() % 100000}`, name: `Asha Rao ${counter}`, pages };
};

/** Start on our page, pick `who` on the network's consent page, and come back to the callback. */
async function consent(
  agent: Agent,
  network: SocialNetwork,
  who: Person,
  body: Record<string, string> = {},
) {
  await agent.get("/social/accounts").expect(200);
  const start = await agent.get(`/social/accounts/${network}/connect`).query(body);
  expect(start.status).toBe(303);
  const authorize = new URL(start.headers.location as string);
  authorize.searchParams.set("mock_account", mockAccountParam(who));
  const answer = await fetch(authorize, { redirect: "manual" });
  return { authorize, back: new URL(answer.headers.get("location") as string) };
}

async function connectAs(agent: Agent, network: SocialNetwork, who: Person) {
  const { authorize, back } = await consent(agent, network, who);
  const done = await agent.get(back.pathname + back.search);
  expect(done.status).toBe(302);
  return { authorize, page: await agent.get("/social/accounts").expect(200) };
}

const accountsOf = (businessId: number) =>
  t.deps.models.SocialAccount.findAll({ where: { businessId }, order: [["id", "ASC"]] });

describe("social accounts", () => {
  it("connects LinkedIn: the member's URN, tokens sealed, never in the page", async () => {
    const { agent, business } = await ownerSignedIn(t, "gold");
    const who = person();
    const { page } = await connectAs(agent, "linkedin", who);
    const [account] = await accountsOf(business.id);
    expect(account).toMatchObject({
      network: "linkedin",
      externalId: `urn:li:person:${who.sub}`,
      displayName: who.name,
      status: "connected",
    });
    const token = openSecret(t.deps.config.secretsKey, account!.accessTokenSealed);
    expect(account!.accessTokenSealed).not.toContain(token);
    expect(account!.accessTokenSealed).toMatch(/^v1\./);
    expect(page.text).toContain(who.name);
    expect(page.text).not.toContain(token);
    expect(page.text).not.toContain(account!.accessTokenSealed);
    // LinkedIn's 60-day token, from the app's clock.
    expect(account!.tokenExpiresAt?.getTime()).toBe(clock.nowMs() + 60 * 86_400_000);
    // The sealed token is one LinkedIn (the stand-in) accepts.
    const posted = await publishWithAccount(
      t.deps,
      { businessId: business.id, ownRecordsOf: null },
      account!,
      { text: "Hello from the CRM" },
    );
    expect(standIn.postsOf("linkedin").find((p) => p.id === posted.externalPostId)?.accountId).toBe(
      account!.externalId,
    );
  });

  it("connects X with PKCE S256 (the stand-in checks the verifier) and keeps a refresh token", async () => {
    const { agent, business } = await ownerSignedIn(t, "gold");
    const who = person();
    const { authorize } = await connectAs(agent, "x", who);
    expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorize.searchParams.get("code_challenge")).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get("scope")).toContain("offline.access");
    const [account] = await accountsOf(business.id);
    expect(account).toMatchObject({ network: "x", externalId: who.sub, status: "connected" });
    expect(account!.refreshTokenSealed).toMatch(/^v1\./);
    expect(account!.tokenExpiresAt?.getTime()).toBe(clock.nowMs() + 2 * 3600_000);
  });

  it("connects each Facebook Page shared, and Instagram accounts linked to Pages", async () => {
    const { agent, business } = await ownerSignedIn(t, "gold");
    const pages = [
      {
        id: `5${Date.now() % 1e6}1`,
        name: "Chai Point Indiranagar",
        instagram: { id: `178${Date.now() % 1e6}`, username: "chaipoint" },
      },
      { id: `5${Date.now() % 1e6}2`, name: "Chai Point Koramangala" },
    ];
    await connectAs(agent, "facebook", person(pages));
    await connectAs(agent, "instagram", person(pages));
    const accounts = await accountsOf(business.id);
    expect(accounts.map((a) => [a.network, a.externalId, a.displayName, a.tokenExpiresAt])).toEqual(
      [
        ["facebook", pages[0]!.id, "Chai Point Indiranagar", null],
        ["facebook", pages[1]!.id, "Chai Point Koramangala", null],
        ["instagram", pages[0]!.instagram!.id, "@chaipoint", null],
      ],
    );
    // Each Page token posts to its own Page only.
    const scope = { businessId: business.id, ownRecordsOf: null };
    await publishWithAccount(t.deps, scope, accounts[1]!, { text: "Koramangala opens at 7" });
    expect(standIn.postsOf("facebook").at(-1)?.accountId).toBe(pages[1]!.id);
  });

  it("refuses a callback whose state does not match, and one from a flow never started", async () => {
    const { agent, business } = await ownerSignedIn(t, "gold");
    const { back } = await consent(agent, "linkedin", person());
    back.searchParams.set("state", "forged-state-value");
    const refused = await agent.get(back.pathname + back.search);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain("state mismatch");
    // The pending state was single use: the real one fails now too.
    const other = await ownerSignedIn(t, "gold");
    const { back: theirs } = await consent(other.agent, "linkedin", person());
    const stolen = await agent.get(theirs.pathname + theirs.search);
    expect(stolen.status).toBe(400);
    expect(await accountsOf(business.id)).toHaveLength(0);
  });

  it("a refusal at the consent page says so, nothing saved", async () => {
    const { agent, business } = await ownerSignedIn(t, "gold");
    await agent.get("/social/accounts/x/connect").expect(303);
    const state = "whatever";
    const denied = await agent.get(
      `/social/accounts/x/callback?error=access_denied&state=${state}`,
    );
    expect(denied.status).toBe(400);
    expect(denied.text).toContain("X did not connect: access_denied");
    expect(await accountsOf(business.id)).toHaveLength(0);
  });

  it("the plan limit: refused before the trip when full, and all-or-nothing at the callback", async () => {
    const { agent, business } = await ownerSignedIn(t, "gold"); // Gold: 10 accounts
    for (let i = 0; i < 9; i += 1)
      await buildSocialAccount(t.deps.models, business, t.deps.config.secretsKey, "x");
    const twoPages = [
      { id: `7${Date.now() % 1e6}1`, name: "Page one" },
      { id: `7${Date.now() % 1e6}2`, name: "Page two" },
    ];
    const { back } = await consent(agent, "facebook", person(twoPages));
    await agent.get(back.pathname + back.search).expect(302);
    const page = await agent.get("/social/accounts");
    expect(page.text).toContain("allows 10 social accounts");
    expect(await t.deps.models.SocialAccount.count({ where: { businessId: business.id } })).toBe(9);

    await buildSocialAccount(t.deps.models, business, t.deps.config.secretsKey, "linkedin");
    const full = await agent.get("/social/accounts");
    expect(full.text).toContain("data-full");
    expect(full.text).not.toContain('href="/social/accounts/linkedin/connect"');
    const refused = await agent.get("/social/accounts/linkedin/connect");
    expect(refused.status).toBe(302);
    expect(refused.headers.location).toBe("/social/accounts");
    expect((await agent.get("/social/accounts")).text).toContain("Upgrade your plan");
  });

  it("a 401 from the network marks the account needs_reconnect; reconnecting restores it", async () => {
    const { agent, business } = await ownerSignedIn(t, "gold");
    const who = person();
    await connectAs(agent, "linkedin", who);
    const [account] = await accountsOf(business.id);
    standIn.revokeToken(openSecret(t.deps.config.secretsKey, account!.accessTokenSealed));
    const scope = { businessId: business.id, ownRecordsOf: null };
    const error = await publishWithAccount(t.deps, scope, account!, { text: "Will fail" }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SocialError);
    expect((error as SocialError).cause).toBe("authentication");
    await account!.reload();
    expect(account!.status).toBe("needs_reconnect");
    const page = await agent.get("/social/accounts");
    expect(page.text).toContain("Needs reconnecting");
    expect(page.text).toContain("Reconnect the LinkedIn account");
    // The next publish fails at once with the reason, without calling LinkedIn.
    const calls = standIn.requests.length;
    await expect(publishWithAccount(t.deps, scope, account!, { text: "x" })).rejects.toMatchObject({
      cause: "authentication",
    });
    expect(standIn.requests.length).toBe(calls);

    const { back } = await consent(agent, "linkedin", who, { reconnect: "1" });
    await agent.get(back.pathname + back.search).expect(302);
    await account!.reload();
    expect(account!.status).toBe("connected");
    expect(account!.lastError).toBeNull();
    expect(await accountsOf(business.id)).toHaveLength(1);
  });

  it("disconnect wipes the tokens and frees the plan slot; another business's account is 404", async () => {
    const { agent, business } = await ownerSignedIn(t, "gold");
    const other = await ownerSignedIn(t, "gold");
    const theirs = await buildSocialAccount(
      t.deps.models,
      other.business,
      t.deps.config.secretsKey,
      "facebook",
    );
    await connectAs(agent, "x", person());
    const [account] = await accountsOf(business.id);
    const csrf = csrfFrom(await agent.get("/social/accounts"));
    await agent
      .post(`/social/accounts/${theirs.id}/disconnect`)
      .type("form")
      .send({ _csrf: csrf })
      .expect(404);
    await agent
      .post(`/social/accounts/${account!.id}/disconnect`)
      .type("form")
      .send({ _csrf: csrf })
      .expect(302);
    await account!.reload();
    expect(account!.status).toBe("disconnected");
    expect(openSecret(t.deps.config.secretsKey, account!.accessTokenSealed)).toBe("");
    expect(account!.refreshTokenSealed).toBeNull();
    const page = await agent.get("/social/accounts");
    expect(page.text).toContain("No accounts connected yet");
    await theirs.reload();
    expect(theirs.status).toBe("connected");
  });
  it("refreshes X ahead of expiry (rotating the refresh token)", async () => {
    const { agent, business } = await ownerSignedIn(t, "gold");
    await connectAs(agent, "x", person());
    const [account] = await accountsOf(business.id);
    const before = { access: account!.accessTokenSealed, refresh: account!.refreshTokenSealed };
    expect(await refreshIfDue(t.deps, account!)).toBe("not_due");
    await clock.advance(100 * 60_000); // 20 minutes left of the 2 hours
    expect(await refreshIfDue(t.deps, account!)).toBe("refreshed");
    await account!.reload();
    expect(account!.accessTokenSealed).not.toBe(before.access);
    expect(account!.refreshTokenSealed).not.toBe(before.refresh);
    expect(account!.tokenExpiresAt?.getTime()).toBe(clock.nowMs() + 2 * 3600_000);
    const scope = { businessId: business.id, ownRecordsOf: null };
    await publishWithAccount(t.deps, scope, account!, { text: `Fresh token ${Date.now()}` });
    // The old refresh token is spent: X refuses it, and the account needs reconnecting.
    await account!.update({ refreshTokenSealed: before.refresh });
    expect(await refreshIfDue(t.deps, account!, { force: true })).toBe("needs_reconnect");
    await account!.reload();
    expect(account!.status).toBe("needs_reconnect");
    expect(account!.lastError).toMatch(/X refused the sign-in \(invalid_grant\)/);
  });
});
