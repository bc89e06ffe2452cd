import { buildBusiness } from "../../../test/factories";
import { buildSocialAccount } from "../../../test/factoriesSocial";
import { buildSocialPost } from "../../../test/factoriesSocialPosts";
import { usingMysql } from "../../../test/support/config";
import { useTestDatabase } from "../../../test/support/database";
import { testDeps } from "../../../test/support/deps";
import { businessScope } from "../../tenancy/scope";
import { refreshPostStatus } from "./status";

/**
 * Two targets of one post settling at once (two workers): each transaction marks its own target
 * and re-derives the post's status. On MariaDB both run concurrently — without the post's row
 * lock each would read the other target still "publishing" and the post would stay there. SQLite
 * runs one transaction at a time, so there they go one after the other.
 */
const db = useTestDatabase();

it("a post whose two targets settle at once ends published, not publishing", async () => {
  const deps = testDeps(db.current);
  const { models, sequelize } = db.current;
  const { business } = await buildBusiness(models);
  const key = deps.config.secretsKey;
  const accounts = [
    await buildSocialAccount(models, business, key, "linkedin"),
    await buildSocialAccount(models, business, key, "x"),
  ];
  const post = await buildSocialPost(models, business, accounts, { scheduledAt: new Date() });
  const targets = await models.SocialPostTarget.findAll({ where: { postId: post.id } });
  await models.SocialPostTarget.update(
    { status: "publishing", attempts: 1 },
    { where: { postId: post.id } },
  );
  await post.update({ status: "publishing" });
  const scope = businessScope(business.id);
  const settle = async (targetId: number) => {
    const transaction = await sequelize.transaction();
    await models.SocialPostTarget.update(
      { status: "published", publishedAt: new Date() },
      { where: { id: targetId }, transaction },
    );
    return transaction;
  };
  if (usingMysql()) {
    const [first, second] = [await settle(targets[0]!.id), await settle(targets[1]!.id)];
    await Promise.all(
      [first, second].map((t) => refreshPostStatus(deps, scope, post.id, t).then(() => t.commit())),
    );
  } else {
    for (const target of targets) {
      const t = await settle(target.id);
      await refreshPostStatus(deps, scope, post.id, t);
      await t.commit();
    }
  }
  await post.reload();
  expect(post.status).toBe("published");
});
