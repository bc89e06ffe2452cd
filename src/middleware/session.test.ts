import { once } from "node:events";
import { request as httpRequest, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import request from "supertest";
import { buildUser, defaultPassword } from "../../test/factories";
import { buildTestApp, type TestApp } from "../../test/support/app";
import { csrfFrom, signIn } from "../../test/support/forms";
import { FakeClock } from "../lib/clock";

function sessionCookie(setCookie: string | string[] | undefined): string {
  const cookies = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return cookies.find((c) => c.startsWith("crm.sid=")) ?? "";
}

describe("the session cookie", () => {
  it("is HttpOnly and SameSite=Lax, and not Secure on plain HTTP in development", async () => {
    const t = await buildTestApp();
    try {
      const cookie = sessionCookie((await request(t.app).get("/login")).headers["set-cookie"]);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);
    } finally {
      await t.close();
    }
  });

  it("is Secure in production behind a TLS-terminating proxy", async () => {
    const t = await buildTestApp({
      NODE_ENV: "production",
      APP_URL: "https://crm.example.com",
      TRUST_PROXY: "1",
      SESSION_SECRET: "s".repeat(40),
      JWT_SECRET: "j".repeat(40),
    });
    try {
      const res = await request(t.app).get("/login").set("X-Forwarded-Proto", "https");
      const cookie = sessionCookie(res.headers["set-cookie"]);
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/HttpOnly/);
    } finally {
      await t.close();
    }
  });
});

/** A user signed in through the form: their browser (an agent) and its session cookie. */
async function signedInBrowser(t: TestApp) {
  const user = await buildUser(t.deps.models);
  const agent = request.agent(t.app);
  const signedIn = await signIn(agent, user.email, defaultPassword);
  const cookie = sessionCookie(signedIn.headers["set-cookie"]).split(";")[0]!;
  return { user, agent, cookie };
}

describe("a signed-in browser's session", () => {
  it("moves its cookie's and its row's expiry on at most once a minute, under the same id", async () => {
    const clock = new FakeClock("2030-03-01T09:00:00Z");
    const t = await buildTestApp({}, { clock });
    try {
      const { user, agent, cookie: sid } = await signedInBrowser(t);
      const row = () => t.deps.models.Session.findOne({ where: { userId: user.id } });
      const fortnight = 14 * 24 * 60 * 60 * 1000;

      // The first page shows the sign-in's flash and stores the session without it.
      await clock.advance(30_000);
      await agent.get("/profile").expect(200);
      await clock.advance(30_000);
      const soon = await agent.get("/profile").expect(200);
      expect(soon.headers["set-cookie"]).toBeUndefined();
      expect((await row())!.expiresAt.getTime()).toBe(
        Date.parse("2030-03-01T09:00:30Z") + fortnight,
      );

      await clock.advance(31_000);
      const later = await agent.get("/profile").expect(200);
      const renewed = sessionCookie(later.headers["set-cookie"]);
      expect(renewed.split(";")[0]).toBe(sid);
      const expiry = new Date(Date.parse("2030-03-01T09:01:31Z") + fortnight);
      expect(renewed).toContain(`Max-Age=${fortnight / 1000};`);
      expect((await row())!.expiresAt.getTime()).toBe(expiry.getTime());
    } finally {
      await t.close();
    }
  });

  it("is not found with a cookie whose signature was changed: the browser is signed out", async () => {
    const t = await buildTestApp();
    try {
      const { user, cookie } = await signedInBrowser(t);
      await request(t.app).get("/profile").set("Cookie", cookie).expect(200);
      const forged = `${cookie.slice(0, -2)}${cookie.endsWith("A") ? "B" : "A"}A`;
      const res = await request(t.app).get("/profile").set("Cookie", forged);
      expect(res.status).toBe(302);
      expect(res.headers.location).toMatch(/^\/login/);
      expect(await t.deps.models.Session.count({ where: { userId: user.id } })).toBe(1);
    } finally {
      await t.close();
    }
  });

  it("is gone once signed out: its row is deleted and its cookie opens nothing", async () => {
    const t = await buildTestApp();
    try {
      const { user, agent, cookie } = await signedInBrowser(t);
      const profile = await agent.get("/profile").expect(200);
      await agent
        .post("/logout")
        .type("form")
        .send({ _csrf: csrfFrom(profile) })
        .expect(302);
      expect(await t.deps.models.Session.count({ where: { userId: user.id } })).toBe(0);
      const res = await request(t.app).get("/profile").set("Cookie", cookie);
      expect(res.status).toBe(302);
      expect(res.headers.location).toMatch(/^\/login/);
    } finally {
      await t.close();
    }
  });
});

describe("a redirect from a request that changed its session", () => {
  it("goes out once the session is stored: the page it leads to shows the flash", async () => {
    const t = await buildTestApp();
    const server = t.app.listen(0, "127.0.0.1");
    await once(server, "listening");
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const Session = t.deps.models.Session;
    const upsert = Session.upsert.bind(Session);
    try {
      const user = await buildUser(t.deps.models, { name: "Meera Pillai" });
      const login = await request(base).get("/login");
      const anonymous = sessionCookie(login.headers["set-cookie"]).split(";")[0]!;
      const signedIn = await request(base)
        .post("/login")
        .set("Cookie", anonymous)
        .type("form")
        .send({ _csrf: csrfFrom(login), email: user.email, password: defaultPassword });
      const cookie = sessionCookie(signedIn.headers["set-cookie"]).split(";")[0]!;
      const profile = await request(base).get("/profile").set("Cookie", cookie);

      // A store that takes its time, as a busy database does: the head of the redirect must not
      // reach the browser before the flash is in the store.
      jest.spyOn(Session, "upsert").mockImplementation((async (
        ...args: Parameters<typeof upsert>
      ) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return upsert(...args);
      }) as typeof upsert);
      const form = new URLSearchParams({ _csrf: csrfFrom(profile), name: "Meera P." }).toString();
      const head = await new Promise<IncomingMessage>((resolve, reject) => {
        const post = httpRequest(`${base}/profile`, {
          method: "POST",
          headers: {
            Cookie: cookie,
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": Buffer.byteLength(form),
          },
        });
        post.on("response", resolve).on("error", reject);
        post.end(form);
      });
      expect(head.statusCode).toBe(303);
      // What a browser does on reading the head: ask for the next page at once.
      const next = await request(base).get(head.headers.location!).set("Cookie", cookie);
      head.resume();
      expect(next.text).toContain("Your name was saved.");
      expect(next.text).toContain("Meera P.");
    } finally {
      jest.restoreAllMocks();
      server.closeAllConnections();
      server.close();
      await t.close();
    }
  });
});
