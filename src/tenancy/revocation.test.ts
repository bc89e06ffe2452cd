import { randomUUID } from "node:crypto";
import { useTestDatabase, testDatabaseUrl } from "../../test/support/database";
import { startEntry, type RunningProcess } from "../../test/support/processes";
import { buildBusiness, buildMember, defaultPassword } from "../../test/factories";
import type { User } from "../models";

/**
 * Nothing that can be revoked is cached per process: two app processes on one database (as behind
 * a load balancer), a browser signed in through the first, and each revocation seen by the second
 * on its very next request.
 */

interface Page {
  status: number;
  location: string | null;
  text: string;
}

async function fetchPage(port: number, path: string, cookie = "", form?: Record<string, string>) {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: form ? "POST" : "GET",
    redirect: "manual",
    headers: {
      cookie,
      ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  const sid = res.headers
    .getSetCookie()
    .map((c) => /^(crm\.sid=[^;]+)/.exec(c)?.[1])
    .find(Boolean);
  const page: Page = {
    status: res.status,
    location: res.headers.get("location"),
    text: await res.text(),
  };
  return { page, cookie: sid ?? cookie };
}

/** Signs in through `port` as a browser would; returns the session cookie. */
async function signIn(port: number, user: User): Promise<string> {
  const form = await fetchPage(port, "/login");
  const csrf = /name="_csrf" value="([^"]+)"/.exec(form.page.text)?.[1] ?? "";
  const res = await fetchPage(port, "/login", form.cookie, {
    _csrf: csrf,
    email: user.email,
    password: defaultPassword,
  });
  expect(res.page.status).toBe(302);
  return res.cookie;
}

function startApp(): RunningProcess {
  return startEntry("src/server.ts", {
    DATABASE_URL: testDatabaseUrl(),
    REDIS_URL: process.env.REDIS_URL ?? "",
    QUEUE_PREFIX: `crm-test-${randomUUID().slice(0, 8)}`,
    PORT: "0",
    AUTO_MIGRATE: "false",
    SEED_DEMO: "false",
  });
}

describe("revocation across processes", () => {
  const db = useTestDatabase();
  const processes: RunningProcess[] = [];
  let first: number;
  let second: number;

  beforeAll(async () => {
    processes.push(startApp(), startApp());
    const ports = await Promise.all(processes.map((p) => readyPort(p)));
    first = ports[0] as number;
    second = ports[1] as number;
  }, 60_000);

  afterAll(async () => {
    for (const p of processes) p.child.kill("SIGTERM");
    await Promise.all(processes.map((p) => p.exited));
  });

  it("a deleted session is refused by the other process on its next request", async () => {
    const { owner, business } = await buildBusiness(db.current.models);
    const cookie = await signIn(first, owner);
    const before = await fetchPage(second, "/businesses", cookie);
    expect(before.page.status).toBe(200);
    expect(before.page.text).toContain(business.name);

    await db.current.models.Session.destroy({ where: { userId: owner.id } });

    for (const port of [second, first]) {
      const after = await fetchPage(port, "/businesses", cookie);
      expect(after.page.status).toBe(302);
      expect(after.page.location).toMatch(/^\/login/);
    }
  });

  it("a removed member no longer reaches the business from the other process", async () => {
    const { business } = await buildBusiness(db.current.models);
    const { user, membership } = await buildMember(db.current.models, business, "manager");
    const cookie = await signIn(first, user);
    expect((await fetchPage(second, "/customers", cookie)).page.status).toBe(200);

    await membership.destroy();

    const after = await fetchPage(second, "/customers", cookie);
    expect(after.page.status).toBe(302);
    expect(after.page.location).toBe("/onboarding");
    const list = await fetchPage(second, "/businesses", cookie);
    expect(list.page.status).toBe(200);
    expect(list.page.text).not.toContain(business.name);
  });

  it("a changed role applies on the other process's next request", async () => {
    const { business } = await buildBusiness(db.current.models);
    const { user, membership } = await buildMember(db.current.models, business, "manager");
    const cookie = await signIn(first, user);
    expect((await fetchPage(second, "/customers/new", cookie)).page.status).toBe(200);

    // Support may look at customers but not create them.
    await membership.update({ role: "support" });

    expect((await fetchPage(second, "/customers/new", cookie)).page.status).toBe(403);
    const list = await fetchPage(second, "/businesses", cookie);
    expect(list.page.text).toMatch(/text-capitalize">support</);
  });
});

/** The port a started app listens on. */
async function readyPort(p: RunningProcess): Promise<number> {
  const listening = await p.waitForLog("listening", 45_000);
  return listening.port as number;
}
