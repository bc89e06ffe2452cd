import type { Deps } from "../../deps";
import type { Form, FormField } from "../../models";

/** A published form as the public pages use it, with what they need of its business. */
export interface PublicForm {
  form: Form;
  fields: FormField[];
  business: { id: number; ownerId: number; name: string; country: string };
}

export interface CacheEntry {
  value: PublicForm;
  /** The injected clock's ms after which the entry is read again. */
  expiresAt: number;
}

/** Per database (each test app has its own): slug → entry. See formCache.ts. */
const caches = new WeakMap<object, Map<string, CacheEntry>>();

export function formCacheOf(deps: Pick<Deps, "sequelize">): Map<string, CacheEntry> {
  let cache = caches.get(deps.sequelize);
  if (!cache) {
    cache = new Map();
    caches.set(deps.sequelize, cache);
  }
  return cache;
}

/** Drops the slugs' entries in this process (a form edited, published, closed or deleted). */
export function forgetPublicForm(deps: Pick<Deps, "sequelize">, ...slugs: string[]): void {
  const cache = caches.get(deps.sequelize);
  if (!cache) return;
  for (const slug of slugs) cache.delete(slug);
}
