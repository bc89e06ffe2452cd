import { randomUUID } from "node:crypto";
import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import {
  authorizeAtGoogle,
  mockGoogleSettings,
  returnFromGoogle,
  signInWithGoogle,
  type MockGoogleAccount,
} from "../../../test/support/google";
import { buildUser, uniqueEmail } from "../../../test/factories";

function googleAccount(overrides: Partial<MockGoogleAccount> = {}): MockGoogleAccount {
  return {
    sub: `google-${randomUUID()}`,
    email: uniqueEmail("google"),
    email_verified: true,
    name: "Meera Iyer",
    ...overrides,
  };
}

describe("sign-in with Google (against a local OAuth2 server)", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp(mockGoogleSettings());
  });
  afterAll(() => t.close());

  const sessionsOf = (userId: number) => t.deps.models.Session.count({ where: { userId } });
  /** Where a signed-in person lands (the dashboard, or onboarding without a business). */
  const signedInPage = async (agent: ReturnType<typeof request.agent>) => {
    await agent.get("/login").expect(302).expect("location", "/");
    return agent.get("/").redirects(2).expect(200);
  };

  it("sends the browser to Google with our client id, callback, a state and PKCE", async () => {
    const { authorizeUrl, callbackUrl } = await authorizeAtGoogle(
      request.agent(t.app),
      googleAccount(),
    );
    const settings = mockGoogleSettings();
    expect(authorizeUrl.href.startsWith(settings.GOOGLE_AUTHORIZATION_URL as string)).toBe(true);
    const params = authorizeUrl.searchParams;
    expect(params.get("client_id")).toBe("test-client");
    expect(params.get("redirect_uri")).toBe("http://localhost:3000/auth/google/callback");
    expect(params.get("response_type")).toBe("code");
    expect(params.get("scope")?.split(" ")).toEqual(expect.arrayContaining(["openid", "email"]));
    expect(params.get("state")?.length).toBeGreaterThanOrEqual(16);
    expect(params.get("code_challenge_method")).toBe("S256");
    expect(callbackUrl.searchParams.get("state")).toBe(params.get("state"));
    expect(callbackUrl.searchParams.get("code")).toBeTruthy();
  });

  it("creates an activated account for a new verified e-mail and signs it in", async () => {
    const account = googleAccount({ email: uniqueEmail("New.Person").toUpperCase() });
    const agent = request.agent(t.app);
    const res = await signInWithGoogle(agent, account);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/");

    const user = await t.deps.models.User.findOne({ where: { googleId: account.sub } });
    expect(user).not.toBeNull();
    expect(user?.email).toBe(account.email?.toLowerCase());
    expect(user?.name).toBe("Meera Iyer");
    expect(user?.activatedAt).toBeInstanceOf(Date);
    expect(user?.passwordHash).toBeNull();
    expect(await sessionsOf(user?.id as number)).toBe(1);

    expect((await signedInPage(agent)).text).toContain("Meera Iyer");
    const entry = await t.deps.models.ActivityLog.findOne({
      where: { userId: user?.id as number, action: "auth.sign_in" },
    });
    expect(JSON.parse(entry?.details ?? "null")).toEqual({ method: "google" });
  });

  it("links an existing account with the same verified e-mail, then signs in by Google id", async () => {
    const existing = await buildUser(t.deps.models, { name: "Asha Rao", activatedAt: null });
    const account = googleAccount({ email: existing.email.toUpperCase(), name: "Asha G." });
    const agent = request.agent(t.app);
    const res = await signInWithGoogle(agent, account);
    expect(res.headers.location).toBe("/");

    await existing.reload();
    expect(existing.googleId).toBe(account.sub);
    expect(existing.activatedAt).toBeInstanceOf(Date);
    expect(existing.name).toBe("Asha Rao");
    expect(await t.deps.models.User.count({ where: { email: existing.email } })).toBe(1);
    expect(await sessionsOf(existing.id)).toBe(1);
    expect((await signedInPage(agent)).text).toContain("Asha Rao");

    // Later logins find the account by its Google id, even after the Google e-mail changed.
    const again = await signInWithGoogle(request.agent(t.app), {
      ...account,
      email: uniqueEmail("changed"),
    });
    expect(again.headers.location).toBe("/");
    expect(await sessionsOf(existing.id)).toBe(2);
  });

  it("never links or creates an account from an e-mail Google has not verified", async () => {
    const existing = await buildUser(t.deps.models);
    const account = googleAccount({ email: existing.email, email_verified: false });
    const agent = request.agent(t.app);
    const res = await signInWithGoogle(agent, account);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe("/login");

    const login = await agent.get("/login").expect(200);
    expect(login.text).toContain("Google has not verified the e-mail address");
    await existing.reload();
    expect(existing.googleId).toBeNull();
    expect(await sessionsOf(existing.id)).toBe(0);
    expect(await t.deps.models.User.count({ where: { googleId: account.sub } })).toBe(0);
    await agent.get("/login").expect(200);
  });

  it("refuses a Google answer that another browser's sign-in started (state check)", async () => {
    const account = googleAccount();
    const attacker = request.agent(t.app);
    const { callbackUrl } = await authorizeAtGoogle(attacker, account);
    const victim = request.agent(t.app);
    await victim.get("/login");
    const res = await returnFromGoogle(victim, callbackUrl);
    expect(res.headers.location).toBe("/login");
    expect((await victim.get("/login")).text).toContain("Google sign-in was cancelled");
    expect(await t.deps.models.User.count({ where: { googleId: account.sub } })).toBe(0);
  });

  it("signs nobody in when Google refuses the code exchange (wrong client secret)", async () => {
    const misconfigured = await buildTestApp({
      ...mockGoogleSettings(),
      GOOGLE_CLIENT_SECRET: "not-the-secret",
    });
    try {
      const account = googleAccount();
      const agent = request.agent(misconfigured.app);
      const res = await signInWithGoogle(agent, account);
      expect(res.headers.location).toBe("/login");
      expect((await agent.get("/login")).text).toContain("Google sign-in did not work");
      expect(await t.deps.models.User.count({ where: { googleId: account.sub } })).toBe(0);
    } finally {
      await misconfigured.close();
    }
  });

  it("shows the Google button on the login page", async () => {
    const page = await request(t.app).get("/login").expect(200);
    expect(page.text).toContain("Sign in with Google");
    expect(page.text).toContain('href="/auth/google"');
    expect(page.text).toContain("fa-brands fa-google");
  });
});

describe("sign-in with Google when it is not configured", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("hides the button and answers 404 on its routes", async () => {
    const page = await request(t.app).get("/login").expect(200);
    expect(page.text).not.toContain("Sign in with Google");
    expect(page.text).not.toContain("/auth/google");
    await request(t.app).get("/auth/google").expect(404);
    await request(t.app).get("/auth/google/callback?code=x&state=y").expect(404);
  });
});
