import type { DashboardSummary } from "../../commands/dashboard/summary";
import { formatMoney } from "../../commands/deals/money";
import { postTitle } from "../../commands/activityEvents";
import { networkLabels } from "../../commands/social/networks";
import { formatDateTime } from "../../lib/dates";
import type { TenantContext } from "../../tenancy/context";
import type { Card } from "./cards";

/**
 * The dashboard's marketing cards: the last campaign (its send's counts and rates, then what it
 * brought in) and the social posts scheduled; and, for a plan without them, the same cards locked
 * with the plan that unlocks them (the sidebar's words).
 */
const count = (n: number) => n.toLocaleString("en-IN");
const pct = (rate: number) => `${rate.toLocaleString("en-IN", { maximumFractionDigits: 1 })}%`;

const sendStateLabels: Record<string, string> = {
  sending: "Sending",
  paused: "Paused",
  completed: "Completed",
  cancelled: "Cancelled",
};
const statusLabels: Record<string, string> = {
  active: "Active",
  paused: "Paused",
  completed: "Completed",
};

export function campaignCard(c: NonNullable<DashboardSummary["campaign"]> | null): Card {
  const base = { key: "campaign", icon: "fa-bullhorn", wide: true };
  if (!c)
    return {
      ...base,
      title: "Last campaign",
      links: [],
      empty: "No campaign has run yet. Plan one with a budget and a lead target, then send it.",
      emptyAction: { label: "Plan a campaign", href: "/campaigns/new" },
    };
  const r = c.results;
  const s = c.send;
  const page = `/campaigns/${c.id}`;
  const results = `${page}/results`;
  return {
    ...base,
    title: `Campaign: ${c.name}`,
    badge: s ? sendStateLabels[c.sendState] : (statusLabels[c.status] ?? null),
    stats: s
      ? [
          {
            label: "sent",
            value: count(s.reached),
            rate: pct(s.total ? Math.round((s.reached / s.total) * 1000) / 10 : 0),
            href: results,
          },
          {
            label: "delivered",
            value: count(s.deliveredOrRead),
            rate: pct(s.deliveryRate),
            href: `${results}?status=delivered`,
          },
          {
            label: "read",
            value: count(s.read),
            rate: pct(s.readRate),
            href: `${results}?status=read`,
          },
          {
            label: "failed",
            value: count(s.failed + s.bounced),
            rate: pct(s.failureRate),
            href: `${results}?status=failed`,
          },
        ]
      : [],
    links: [
      { label: "leads", value: count(r.leads), href: page },
      { label: "deals won", value: count(r.wonDeals), href: page },
      {
        label:
          r.roi === null
            ? "revenue (no spend entered)"
            : `revenue, ROI ${Math.round(r.roi * 100)}%`,
        value: formatMoney(r.revenueMinor, c.currency),
        href: page,
      },
    ],
    more: s
      ? { label: "See the results", href: results }
      : { label: "Send it", href: `${page}/send` },
    empty: null,
    emptyAction: null,
  };
}

export function socialCard(ctx: TenantContext, s: NonNullable<DashboardSummary["social"]>): Card {
  const timeZone = ctx.business.timeZone;
  return {
    key: "social",
    title: "Social posts scheduled",
    icon: "fa-share-nodes",
    wide: true,
    links: [{ label: "scheduled", value: count(s.count), href: "/social?status=scheduled" }],
    items: s.next.map((post) => ({
      label: postTitle(post.text),
      href: `/social/posts/${post.id}`,
      meta: [formatDateTime(post.at, timeZone), ...post.networks.map((n) => networkLabels[n])].join(
        " · ",
      ),
    })),
    more:
      s.count > s.next.length ? { label: "See them all", href: "/social?status=scheduled" } : null,
    empty:
      s.count === 0
        ? "Nothing scheduled. Write a post, or start from an occasion's template, and pick a date."
        : null,
    emptyAction: s.count === 0 ? { label: "Schedule a post", href: "/social/posts/new" } : null,
  };
}

const lockedTitles: Record<string, { key: string; title: string; icon: string; pitch: string }> = {
  campaigns: {
    key: "campaign",
    title: "Last campaign",
    icon: "fa-bullhorn",
    pitch: "Send WhatsApp and e-mail campaigns and see who got, read and answered them.",
  },
  social: {
    key: "social",
    title: "Social posts scheduled",
    icon: "fa-share-nodes",
    pitch: "Schedule posts to LinkedIn, Facebook, Instagram and X from one place.",
  },
};

export function lockedCards(s: DashboardSummary): Card[] {
  return s.locked.flatMap((lock) => {
    const card = lockedTitles[lock.feature];
    if (!card) return [];
    return [
      {
        key: card.key,
        title: card.title,
        icon: card.icon,
        links: [],
        lock: { plan: lock.upgradeTo?.name ?? null, message: lock.message, href: lock.href },
        empty: card.pitch,
        emptyAction: null,
      },
    ];
  });
}
