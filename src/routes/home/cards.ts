/** A dashboard card as the view shows it (present.ts builds most; presentMarketing.ts two). */
export interface CardLink {
  label: string;
  value: string;
  href: string;
}

export interface Card {
  key: string;
  title: string;
  icon: string;
  links: CardLink[];
  /** What to do next when the card's numbers are all zero. */
  empty: string | null;
  /** The call to action of an empty card. */
  emptyAction: { label: string; href: string } | null;
  /** Twice as wide on large screens (a list or rates inside). */
  wide?: boolean;
  /** A status beside the title ("Completed"). */
  badge?: string | null;
  /** Numbers with their rate ("9,812 delivered · 99.1%"). */
  stats?: Array<{ label: string; value: string; rate: string; href: string }>;
  /** A short list (the next posts). */
  items?: Array<{ label: string; href: string; meta: string }>;
  /** A link under everything else. */
  more?: { label: string; href: string } | null;
  /** The plan lacks the feature: the plan that unlocks it (planGate.featureLock). */
  lock?: { plan: string | null; message: string; href: string };
}
