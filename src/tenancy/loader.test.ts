import { useTestDatabase } from "../../test/support/database";
import {
  buildBusiness,
  buildMember,
  buildNotification,
  buildSession,
  buildUser,
} from "../../test/factories";
import { sqlTime } from "../db/sqlTime";
import { contextForSession, loadRequestContext, readSession } from "./loader";

/**
 * The session read brings the user's context rows in one statement (tenancy/loader.ts): oldest
 * membership first without sorting in SQL, and the unread notifications of the business the
 * session has chosen only.
 */
describe("readSession", () => {
  const db = useTestDatabase();
  // Sessions expire an hour after this fixed time, unless a test says otherwise.
  const at = new Date("2031-03-04T05:06:07.000Z");
  const now = () => at;
  const valid = { expiresAt: new Date(at.getTime() + 60 * 60 * 1000) };

  async function twoBusinesses() {
    const { sequelize, models } = db.current;
    const user = await buildUser(models);
    // The membership in `second` comes later by id but earlier by time: the order is by time.
    const { business: first } = await buildBusiness(models);
    const { business: second } = await buildBusiness(models);
    await buildMember(models, first, "sales", user);
    const older = await buildMember(models, second, "manager", user);
    // (Sequelize never writes createdAt on an update: set it in SQL.)
    await sequelize.query("UPDATE memberships SET created_at = ? WHERE id = ?", {
      replacements: [sqlTime(sequelize, new Date("2026-01-01T00:00:00Z")), older.membership.id],
    });
    for (let i = 0; i < 2; i++)
      await buildNotification(models, { businessId: first.id, userId: user.id });
    for (let i = 0; i < 3; i++)
      await buildNotification(models, { businessId: second.id, userId: user.id });
    return { sequelize, models, user, first, second };
  }

  it("counts unread notifications in the session's chosen business only", async () => {
    const { sequelize, models, user, first, second } = await twoBusinesses();
    const session = await buildSession(models, {
      ...valid,
      userId: user.id,
      data: JSON.stringify({ cookie: {}, userId: user.id, businessId: first.id }),
    });
    const read = await readSession({ sequelize }, session.sid, now());
    expect(read?.userId).toBe(user.id);
    const unread = read!.rows.map((r) => [Number(r.business_id), r.unread]);
    expect(unread).toEqual([
      [second.id, null],
      [first.id, 2],
    ]);
    const ctx = await contextForSession({ models, sequelize }, read!, {
      userId: user.id,
      businessId: first.id,
      countUnread: true,
    });
    expect(ctx?.business?.id).toBe(first.id);
    expect(ctx?.membership?.role).toBe("sales");
    expect(ctx?.unreadNotifications).toBe(2);
  });

  it("counts every business's when none is chosen yet, the oldest membership first", async () => {
    const { sequelize, models, user, second } = await twoBusinesses();
    const session = await buildSession(models, { ...valid, userId: user.id });
    const read = await readSession({ sequelize }, session.sid, now());
    expect(read!.rows.map((r) => Number(r.unread))).toEqual([3, 2]);
    const ctx = await contextForSession({ models, sequelize }, read!, {
      userId: user.id,
      businessId: null,
      countUnread: true,
    });
    expect(ctx?.business?.id).toBe(second.id);
    expect(ctx?.businesses.map((b) => b.id)[0]).toBe(second.id);
    expect(ctx?.unreadNotifications).toBe(3);
  });

  it("falls back to counting in the business it chose when the session's is no longer theirs", async () => {
    const { sequelize, models, user, second } = await twoBusinesses();
    const { business: gone } = await buildBusiness(models);
    const session = await buildSession(models, {
      ...valid,
      userId: user.id,
      data: JSON.stringify({ cookie: {}, userId: user.id, businessId: gone.id }),
    });
    const read = await readSession({ sequelize }, session.sid, now());
    const ctx = await contextForSession({ models, sequelize }, read!, {
      userId: user.id,
      businessId: gone.id,
      countUnread: true,
    });
    expect(ctx?.business?.id).toBe(second.id);
    expect(ctx?.unreadNotifications).toBe(3);
  });

  it("refuses an expired session, and loads the same context without a session", async () => {
    const { sequelize, models, user, second } = await twoBusinesses();
    const session = await buildSession(models, {
      userId: user.id,
      expiresAt: new Date(at.getTime() - 1),
    });
    expect(await readSession({ sequelize }, session.sid, now())).toBeNull();
    const ctx = await loadRequestContext({ models, sequelize }, { userId: user.id });
    expect(ctx?.businesses.map((b) => b.id)[0]).toBe(second.id);
  });
});
