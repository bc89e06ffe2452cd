import type { DashboardSummary, MoneyTotal } from "../../commands/dashboard/summary";
import { mayUse, upcomingDays } from "../../commands/dashboard/summary";
import { formatMoney } from "../../commands/deals/money";
import { can } from "../../policies/permissions";
import type { TenantContext } from "../../tenancy/context";
import type { Card } from "./cards";
import { campaignCard, lockedCards, socialCard } from "./presentMarketing";

/**
 * The dashboard's cards, chart data and quick actions, as the view shows them. Every number links
 * to the list it counts, with that list's own filters, so clicking through shows the same rows.
 */
const count = (n: number) => n.toLocaleString("en-IN");

function money(totals: MoneyTotal[], currency: string): string {
  if (!totals.length) return formatMoney(0, currency);
  return totals.map((t) => formatMoney(t.minor, t.currency)).join(" + ");
}

export function presentCards(ctx: TenantContext, s: DashboardSummary): Card[] {
  const cards: Card[] = [];
  const role = ctx.membership.role;
  const own = role === "sales";
  const currency = ctx.business.currency;
  if (s.customers) {
    const c = s.customers;
    cards.push({
      key: "customers",
      title: own ? "Your customers" : "Customers",
      icon: "fa-address-book",
      links: [
        { label: "in all", value: count(c.total), href: "/customers" },
        {
          label: "new this week",
          value: count(c.newThisWeek),
          href: `/customers?createdFrom=${s.periods.weekStartDate}`,
        },
      ],
      empty: c.total === 0 ? "No customers yet. Add your first or import a spreadsheet." : null,
      emptyAction:
        c.total === 0 && can(role, "customers.manage")
          ? { label: "Add a customer", href: "/customers/new" }
          : null,
    });
    cards.push({
      key: "celebrations",
      title: "Birthdays and anniversaries",
      icon: "fa-cake-candles",
      links: [
        {
          label: `in the next ${upcomingDays} days`,
          value: count(c.upcoming),
          href: `/customers?upcomingDays=${upcomingDays}`,
        },
      ],
      empty:
        c.upcoming === 0
          ? "Nothing to celebrate this week. Add customers' birthdays and anniversaries to be reminded."
          : null,
      emptyAction: null,
    });
  }
  if (s.leads) {
    const l = s.leads;
    const none = l.newThisWeek === 0 && l.hot === 0;
    cards.push({
      key: "leads",
      title: own ? "Your leads" : "Leads",
      icon: "fa-user-plus",
      links: [
        { label: "new this week", value: count(l.newThisWeek), href: "/leads" },
        { label: "hot", value: count(l.hot), href: "/leads?temperature=hot" },
      ],
      empty: none ? "No new or hot leads. Add a lead or publish a form to collect them." : null,
      emptyAction:
        none && can(role, "leads.manage") ? { label: "Add a lead", href: "/leads/new" } : null,
    });
  }
  if (s.deals) {
    const d = s.deals;
    const won = d.stages.filter((stage) => stage.kind === "won");
    cards.push({
      key: "deals",
      title: own ? "Your open deals" : "Open deals",
      icon: "fa-handshake",
      links: [
        { label: "open", value: count(d.open), href: "/deals" },
        { label: "in the pipeline", value: money(d.pipeline, currency), href: "/deals" },
      ],
      empty: d.open === 0 ? "No open deals. Add a deal when a customer shows interest." : null,
      emptyAction:
        d.open === 0 && can(role, "deals.manage")
          ? { label: "Add a deal", href: "/deals/new" }
          : null,
    });
    cards.push({
      key: "won",
      title: "Won this month",
      icon: "fa-trophy",
      links: [
        {
          label: "deals",
          value: count(d.wonThisMonth),
          href: won.length === 1 ? `/deals?stageId=${won[0]!.id}` : "/deals",
        },
        { label: "worth", value: money(d.wonValue, currency), href: "/deals" },
      ],
      empty: d.wonThisMonth === 0 ? "No deals won this month yet. Move a deal to Won." : null,
      emptyAction: null,
    });
  }
  if (s.tasks) {
    const t = s.tasks;
    cards.push({
      key: "tasks",
      title: own ? "Your tasks" : "Tasks",
      icon: "fa-list-check",
      links: [
        { label: "due today", value: count(t.dueToday), href: "/tasks?due=today" },
        { label: "overdue", value: count(t.overdue), href: "/tasks?due=overdue" },
      ],
      empty: t.dueToday === 0 && t.overdue === 0 ? "Nothing due today. Plan a follow-up." : null,
      emptyAction:
        t.dueToday === 0 && t.overdue === 0 ? { label: "Add a task", href: "/tasks/new" } : null,
    });
  }
  if (s.tickets) {
    cards.push({
      key: "tickets",
      title: "Open tickets",
      icon: "fa-life-ring",
      links: [{ label: "open", value: count(s.tickets.open), href: "/tickets" }],
      empty: s.tickets.open === 0 ? "No open tickets. Customers' questions will show here." : null,
      emptyAction: null,
    });
  }
  if (s.campaign !== undefined) cards.push(campaignCard(s.campaign));
  if (s.social) cards.push(socialCard(ctx, s.social));
  cards.push(...lockedCards(s));
  return cards;
}

export interface QuickAction {
  label: string;
  href: string;
  icon: string;
}

/** Shortcuts to the forms people open most, for what this member may create. */
export function quickActions(ctx: TenantContext): QuickAction[] {
  const role = ctx.membership.role;
  const actions: QuickAction[] = [];
  if (mayUse(ctx, "customers") && can(role, "customers.manage"))
    actions.push({ label: "Add customer", href: "/customers/new", icon: "fa-user-plus" });
  if (mayUse(ctx, "imports"))
    actions.push({ label: "Import", href: "/imports/new", icon: "fa-file-import" });
  if (mayUse(ctx, "leads") && can(role, "leads.manage"))
    actions.push({ label: "New lead", href: "/leads/new", icon: "fa-bullseye" });
  if (mayUse(ctx, "deals") && can(role, "deals.manage"))
    actions.push({ label: "New deal", href: "/deals/new", icon: "fa-handshake" });
  if (mayUse(ctx, "forms"))
    actions.push({ label: "New form", href: "/forms", icon: "fa-rectangle-list" });
  if (mayUse(ctx, "campaigns"))
    actions.push({ label: "New campaign", href: "/campaigns/new", icon: "fa-bullhorn" });
  if (mayUse(ctx, "social"))
    actions.push({ label: "New post", href: "/social/posts/new", icon: "fa-share-nodes" });
  return actions;
}

/** Chart data for public/js/dashboard.js, and the same numbers as table rows for everyone. */
export function presentCharts(s: DashboardSummary) {
  const weeks = s.periods.weeks.map((w) => w.date);
  // An all-zero chart says nothing a new business needs: the cards' empty states speak instead.
  const grew = [...(s.customers?.weekly ?? []), ...(s.leads?.weekly ?? [])].some((w) => w.count);
  const growth =
    grew && (s.customers || s.leads)
      ? weeks.map((week, i) => ({
          week,
          customers: s.customers?.weekly[i]?.count ?? null,
          leads: s.leads?.weekly[i]?.count ?? null,
        }))
      : null;
  const stages = s.deals?.stages.some((x) => x.count) ? s.deals.stages : null;
  const data = {
    growth: growth && {
      labels: weeks,
      customers: s.customers ? growth.map((g) => g.customers) : null,
      leads: s.leads ? growth.map((g) => g.leads) : null,
    },
    stages: stages && { labels: stages.map((x) => x.name), counts: stages.map((x) => x.count) },
  };
  return {
    growth,
    showCustomers: Boolean(s.customers),
    showLeads: Boolean(s.leads),
    stages,
    pipelineName: s.deals?.pipelineName ?? null,
    any: Boolean(growth || stages),
    // A data block, never executed: "<" escaped so no text in it can close the script element.
    json: JSON.stringify(data).replace(/</g, "\\u003c"),
  };
}
