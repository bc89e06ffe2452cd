import type { Request, Response } from "express";
import { readFeed } from "../../commands/activityFeed";
import { dismissChecklist, firstRunChecklist } from "../../commands/dashboard/checklist";
import { dashboardSummary } from "../../commands/dashboard/summary";
import type { Deps } from "../../deps";
import type { PageCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { csrfToken } from "../../middleware/csrf";
import { overLimits } from "../../plans/readOnly";
import { can } from "../../policies/permissions";
import type { TenantContext } from "../../tenancy/context";
import { presentFeedItem } from "../activity/present";
import { presentCards, presentCharts, quickActions } from "./present";

/** Entries of recent activity the dashboard shows; the rest is one click away (/activity). */
const recentCount = 8;

/** GET / for a member of a business: cards, charts, recent activity, quick actions, checklist. */
export async function showDashboard(req: Request, res: Response, deps: Deps, ctx: TenantContext) {
  const [summary, checklist, feed, over] = await Promise.all([
    dashboardSummary(deps, ctx),
    firstRunChecklist(deps, ctx),
    readFeed(deps, ctx, {}, { limit: recentCount }),
    overLimits(deps, ctx),
  ]);
  const timeZone = ctx.business.timeZone;
  res.render("home/dashboard", {
    title: "Dashboard",
    csrfToken: csrfToken(req),
    cards: presentCards(ctx, summary),
    charts: presentCharts(summary),
    actions: quickActions(ctx),
    checklist,
    recent: feed.items.map((item) => presentFeedItem(item, timeZone)),
    moreActivity: feed.next !== null,
    ownNumbers: ctx.membership.role === "sales",
    // What is read-only beyond the plan, and the way out (src/plans/readOnly.ts).
    overLimits: over,
    canManageBilling: can(ctx.membership.role, "billing.manage"),
  });
}

/** POST /dashboard/checklist/dismiss: hides the first-run checklist for the whole business. */
export async function dismissChecklistPage({ deps, ctx }: PageCall) {
  await dismissChecklist(deps, ctx);
  return redirect("/", "The checklist is hidden. Everything on it stays in the menu.");
}
