import { selectRows } from "../../db/connection";
import type { Deps } from "../../deps";
import { shippedFeatures } from "../../plans/features";
import { authorize, type TenantContext } from "../../tenancy/context";
import { businessScope, tenantWhere } from "../../tenancy/scope";
import { tenantSql } from "../../tenancy/sql";
import { can } from "../../policies/permissions";

/**
 * The first-run checklist (issue 15, item 5): what a new business does first, each item ticked
 * from real data (never stored), dismissable for the whole business. Items whose feature has not
 * shipped are left out rather than shown undoable: "publish a form" and "run a first campaign"
 * appear once those features are in the menu (plans/features.ts shippedFeatures); "connect
 * WhatsApp or e-mail" with them. Counted business-wide: it is about the business,
 * not the member, and only owners and admins (business.update) see it.
 */
export interface ChecklistItem {
  key: "customers" | "team" | "channel" | "form" | "campaign";
  label: string;
  hint: string;
  href: string;
  done: boolean;
}

export interface Checklist {
  items: ChecklistItem[];
  doneCount: number;
}

/** Null when the member does not see it: not an owner or admin, dismissed, or all done. */
export async function firstRunChecklist(deps: Deps, ctx: TenantContext): Promise<Checklist | null> {
  if (!can(ctx.membership.role, "business.update")) return null;
  const sql = tenantSql(deps, businessScope(ctx.business.id));
  const forms = shippedFeatures.has("forms");
  const campaigns = shippedFeatures.has("campaigns");
  const [row] = await selectRows<Record<string, number | string | null>>(
    deps.sequelize,
    sql.text`SELECT
      (SELECT COUNT(*) FROM dashboard_checklists k
        WHERE ${sql.scoped("k")} AND k.dismissed_at IS NOT NULL) AS dismissed,
      (SELECT COUNT(*) FROM (SELECT c.id FROM customers c WHERE ${sql.scoped("c")} LIMIT 1) AS one)
        AS customers,
      (SELECT COUNT(*) FROM (SELECT m.id FROM memberships m WHERE ${sql.scoped("m")} LIMIT 2) AS two)
        AS members,
      (SELECT COUNT(*) FROM (SELECT i.id FROM invitations i WHERE ${sql.scoped("i")} LIMIT 1) AS inv)
        AS invitations,
      (SELECT COUNT(*) FROM (SELECT ch.id FROM messaging_channels ch WHERE ${sql.scoped("ch")}
        AND ((ch.kind = 'whatsapp' AND ch.status = 'connected')
          OR (ch.kind = 'email' AND ch.from_address IS NOT NULL)) LIMIT 1) AS one) AS channels`,
  );
  if (!row || Number(row.dismissed) > 0) return null;
  const items: ChecklistItem[] = [
    {
      key: "customers",
      label: "Add or import your customers",
      hint: "Type them in one by one or bring a spreadsheet (CSV or Excel).",
      href: "/imports/new",
      done: Number(row.customers) > 0,
    },
    {
      key: "team",
      label: "Invite your team",
      hint: "Give each person a role: sales, marketing, support or manager.",
      href: "/team",
      done: Number(row.members) > 1 || Number(row.invitations) > 0,
    },
  ];
  if (campaigns) {
    items.push({
      key: "channel",
      label: "Connect WhatsApp or e-mail",
      hint: "Add your WhatsApp Business number or your sender address, so campaigns can go out.",
      href: "/settings/channels",
      done: Number(row.channels) > 0,
    });
  }
  if (forms) {
    const [form] = await selectRows<{ n: number | string }>(
      deps.sequelize,
      sql.text`SELECT COUNT(*) AS n FROM (SELECT f.id FROM forms f WHERE ${sql.scoped("f")}
        AND f.status = 'published' LIMIT 1) AS one`,
    );
    items.push({
      key: "form",
      label: "Publish a lead form",
      hint: "Put it on your website or share its link; every submission becomes a lead.",
      href: "/forms",
      done: Number(form?.n ?? 0) > 0,
    });
  }
  if (campaigns) {
    const [campaign] = await selectRows<{ n: number | string }>(
      deps.sequelize,
      sql.text`SELECT COUNT(*) AS n FROM (SELECT p.id FROM campaigns p WHERE ${sql.scoped("p")}
        AND (p.status IN ${["active", "completed"]} OR p.send_state IN ${["sending", "completed"]})
        LIMIT 1) AS one`,
    );
    items.push({
      key: "campaign",
      label: "Run your first campaign",
      hint: "Plan it with a budget and a lead target, then send it or mark it active.",
      href: "/campaigns",
      done: Number(campaign?.n ?? 0) > 0,
    });
  }
  const doneCount = items.filter((i) => i.done).length;
  return doneCount === items.length ? null : { items, doneCount };
}

/** Hides the checklist for everyone in the business; dismissing twice changes nothing. */
export async function dismissChecklist(deps: Deps, ctx: TenantContext): Promise<void> {
  authorize(ctx, "business.update");
  const { DashboardChecklist } = deps.models;
  const now = deps.clock.now();
  const [state] = await DashboardChecklist.findOrCreate({
    where: tenantWhere(ctx, DashboardChecklist, {}),
    defaults: { businessId: ctx.business.id, dismissedAt: now, dismissedById: ctx.user.id },
  });
  if (!state.dismissedAt) await state.update({ dismissedAt: now, dismissedById: ctx.user.id });
}
