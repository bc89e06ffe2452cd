import { DataTypes } from "sequelize";
import { columns, tableOptions } from "../src/db/migrationHelpers";
import type { Migration } from "../src/db/migrator";

/**
 * The social publisher (issue 14): posts, one target per post and connected account, every
 * publish attempt, the media library and the audit log. Templates are a catalogue in code
 * (src/commands/social/occasions.ts), so posts name them by code.
 */
const time = (allowNull: boolean) => ({ type: DataTypes.DATE(3), allowNull });

export const up: Migration = async ({ context: qi }) => {
  const options = tableOptions(qi);
  await qi.createTable(
    "social_media",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      // Relative to UPLOADS_DIR: social/<businessId>/<random>.<ext>
      file_path: { type: DataTypes.STRING(300), allowNull: false },
      original_name: { type: DataTypes.STRING(200), allowNull: false },
      mime_type: { type: DataTypes.STRING(60), allowNull: false },
      bytes: { type: DataTypes.INTEGER, allowNull: false },
      width: { type: DataTypes.INTEGER, allowNull: true },
      height: { type: DataTypes.INTEGER, allowNull: true },
      thumbnail_path: { type: DataTypes.STRING(300), allowNull: true },
      uploaded_by: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      created_at: time(false),
      updated_at: time(false),
    },
    options,
  );
  await qi.addIndex("social_media", ["business_id", "id"], { name: "social_media_business" });

  await qi.createTable(
    "social_posts",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      author_user_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      text: { type: DataTypes.TEXT, allowNull: false },
      // draft | scheduled | publishing | published | partially_failed | failed
      status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: "draft" },
      scheduled_at: time(true),
      published_at: time(true),
      // A code of the occasion catalogue (src/commands/social/occasions.ts).
      template_id: { type: DataTypes.STRING(40), allowNull: true },
      media_id: columns.reference("social_media", { allowNull: true, onDelete: "SET NULL" }),
      created_at: time(false),
      updated_at: time(false),
    },
    options,
  );
  await qi.addIndex("social_posts", ["business_id", "status", "id"], {
    name: "social_posts_business_status",
  });
  await qi.addIndex("social_posts", ["business_id", "scheduled_at"], {
    name: "social_posts_business_scheduled",
  });

  await qi.createTable(
    "social_post_targets",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      post_id: columns.reference("social_posts"),
      social_account_id: columns.reference("social_accounts"),
      variant_text: { type: DataTypes.TEXT, allowNull: true },
      // pending | publishing | published | failed | unknown
      status: { type: DataTypes.STRING(20), allowNull: false, defaultValue: "pending" },
      external_post_id: { type: DataTypes.STRING(191), allowNull: true },
      url: { type: DataTypes.STRING(1000), allowNull: true },
      error_cause: { type: DataTypes.STRING(40), allowNull: true },
      error_message: { type: DataTypes.STRING(1000), allowNull: true },
      error_fix: { type: DataTypes.STRING(1000), allowNull: true },
      attempts: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      // When the next publish of a pending target is due; null while the post is a draft.
      next_attempt_at: time(true),
      published_at: time(true),
      created_at: time(false),
      updated_at: time(false),
    },
    options,
  );
  await qi.addIndex("social_post_targets", ["post_id", "social_account_id"], {
    unique: true,
    name: "social_post_targets_post_account_unique",
  });
  await qi.addIndex("social_post_targets", ["business_id", "post_id"], {
    name: "social_post_targets_business_post",
  });
  // The sweep looks for due pending targets and stuck publishing ones across businesses.
  await qi.addIndex("social_post_targets", ["status", "next_attempt_at"], {
    name: "social_post_targets_status_due",
  });
  // Instagram's 24-hour count: published targets of one account by time.
  await qi.addIndex("social_post_targets", ["business_id", "social_account_id", "published_at"], {
    name: "social_post_targets_account_published",
  });

  await qi.createTable(
    "social_publish_attempts",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      target_id: columns.reference("social_post_targets"),
      started_at: time(false),
      // Null while the request is open: a crash leaves it so, and the target is then 'unknown'.
      finished_at: time(true),
      duration_ms: { type: DataTypes.INTEGER, allowNull: true },
      request_summary: { type: DataTypes.STRING(1000), allowNull: false },
      response_summary: { type: DataTypes.STRING(1000), allowNull: true },
      error: { type: DataTypes.STRING(1000), allowNull: true },
      // open | published | retry | failed | deferred | unknown
      outcome: { type: DataTypes.STRING(20), allowNull: false, defaultValue: "open" },
    },
    options,
  );
  await qi.addIndex("social_publish_attempts", ["business_id", "target_id", "id"], {
    name: "social_publish_attempts_business_target",
  });

  await qi.createTable(
    "social_audit",
    {
      id: columns.id(),
      business_id: columns.reference("businesses"),
      // Null for the business's own work (the publisher).
      user_id: columns.reference("users", { allowNull: true, onDelete: "SET NULL" }),
      // Not a foreign key: the log outlives a deleted post.
      post_id: { type: DataTypes.INTEGER, allowNull: false },
      // create | edit | delete | schedule | publish | retry
      action: { type: DataTypes.STRING(20), allowNull: false },
      changes: { type: DataTypes.TEXT, allowNull: false },
      at: time(false),
    },
    options,
  );
  await qi.addIndex("social_audit", ["business_id", "post_id", "id"], {
    name: "social_audit_business_post",
  });
};

export const down: Migration = async ({ context: qi }) => {
  await qi.dropTable("social_audit");
  await qi.dropTable("social_publish_attempts");
  await qi.dropTable("social_post_targets");
  await qi.dropTable("social_posts");
  await qi.dropTable("social_media");
};
