import type { CommandDeps } from "../../src/commands/deps";
import type { JobQueue } from "../../src/jobs/queue";
import type { Business, User } from "../../src/models";
import { presentUser } from "../../src/presenters/user";
import type { TenantContext } from "../../src/tenancy/context";
import { testTasks } from "./app";
import { testConfig } from "./config";
import type { TestDatabase } from "./database";

/** The context a request of `user` in `business` would carry (their membership and the plan). */
export async function contextFor(
  db: TestDatabase,
  business: Business,
  user: User,
): Promise<TenantContext> {
  const { models } = db;
  const membership = await models.Membership.findOne({
    where: { businessId: business.id, userId: user.id },
  });
  const owner = await models.User.findByPk(business.ownerId);
  const plan = await models.Plan.findOne({ where: { code: owner?.planCode ?? "free" } });
  if (!membership || !plan) throw new Error("contextFor: the user is not a member, or no plan");
  return { user: presentUser(user), business, membership, plan, businesses: [] };
}

/** What commands need, on the test database and the given queue (mail goes to the outbox). */
export function commandDeps(db: TestDatabase, queue: JobQueue): CommandDeps {
  const config = testConfig();
  const tasks = testTasks(db, queue);
  return { config, sequelize: db.sequelize, models: db.models, queue, tasks };
}
