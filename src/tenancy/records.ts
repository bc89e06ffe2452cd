import type { Business, Membership } from "../models";
import type { PlanRecord } from "../plans/plans";
import type { Role } from "../policies/permissions";
import type { PresentedUser } from "../presenters/user";

/** The business a context is about, as plain data (never a model instance). */
export interface BusinessRecord {
  id: number;
  ownerId: number;
  name: string;
  category: string | null;
  description: string | null;
  phone: string | null;
  whatsapp: string | null;
  /** ISO 3166-1 alpha-2, the default country for phone numbers. */
  country: string;
  /** IANA zone, e.g. Asia/Kolkata: where "09:00" and "today" are. */
  timeZone: string;
  /** ISO 4217. */
  currency: string;
  /** The unfiltered customer total, kept by the customer commands. */
  customerCount: number;
  /** The daily birthday/anniversary run gives each celebrated customer a "send wishes" task. */
  wishTasks: boolean;
  /** What the lead stages and members remembered in a process are keyed by (commands/setup.ts). */
  setupVersion: number;
}

export interface MembershipRecord {
  id: number;
  businessId: number;
  userId: number;
  role: Role;
}

export function businessRecordOf(business: Business): BusinessRecord {
  return {
    id: business.id,
    ownerId: business.ownerId,
    name: business.name,
    category: business.category,
    description: business.description,
    phone: business.phone,
    whatsapp: business.whatsapp,
    country: business.country,
    timeZone: business.timeZone,
    currency: business.currency,
    customerCount: Number(business.customerCount),
    wishTasks: Boolean(business.wishTasks),
    setupVersion: Number(business.setupVersion ?? 0),
  };
}

export function membershipRecordOf(membership: Membership): MembershipRecord {
  return {
    id: membership.id,
    businessId: membership.businessId,
    userId: membership.userId,
    role: membership.role,
  };
}

export interface BusinessSummary {
  id: number;
  name: string;
  role: Role;
}

/** Who is asking, in which business, with which role and plan. Services take this first. */
export interface RequestContext {
  user: PresentedUser;
  business: BusinessRecord | null;
  membership: MembershipRecord | null;
  /** The plan of the current business's owner; null without a business. */
  plan: PlanRecord | null;
  businesses: BusinessSummary[];
  /**
   * The user's unread notifications in the current business, when the loader was asked to count
   * them (page requests, for the top bar); absent otherwise.
   */
  unreadNotifications?: number;
  /**
   * True for a business's own scheduled work (reminder scans, due reminders): nobody asked for
   * it, so it runs with the owner's rights and records no member as its actor.
   */
  system: boolean;
}

/** A context with a business: what every tenant-scoped service needs. */
export interface TenantContext extends RequestContext {
  business: BusinessRecord;
  membership: MembershipRecord;
  plan: PlanRecord;
}
