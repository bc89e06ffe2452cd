import request from "supertest";
import { buildTestApp } from "../../test/support/app";

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
