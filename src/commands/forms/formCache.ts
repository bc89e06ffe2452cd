import type { Deps } from "../../deps";
import { businessScope, ownBusiness } from "../../tenancy/scope";
import { parseFields } from "./fields";
import { formCacheOf, type PublicForm } from "./formCacheStore";
import { publishedForm } from "./forms";

export { forgetPublicForm, type PublicForm } from "./formCacheStore";

/**
 * A published form as the public pages use it, with what they need of its business: read from
 * the database once per FORMS_CACHE_SECONDS per process instead of on every view and POST (two
 * statements of a submission's 23 were this, and a POST read the business's whole member
 * context for its country). The form's own edits (forms.ts) clear their slug in the process that
 * made them; another web process sees an edit — a form closed, a field added — within
 * FORMS_CACHE_SECONDS. Keyed per database (each test app has its own).
 */
type CacheDeps = Pick<Deps, "models" | "sequelize" | "clock" | "config">;

/** At most this many forms per process: a bot walking slugs cannot grow it without bound. */
const maxEntries = 2000;

/** The published form at `slug` with its business, or null (unknown, draft, business gone). */
export async function publicForm(deps: CacheDeps, slug: string): Promise<PublicForm | null> {
  const cache = formCacheOf(deps);
  const now = deps.clock.nowMs();
  const hit = cache.get(slug);
  if (hit && hit.expiresAt > now) return hit.value;
  const form = await publishedForm(deps, slug);
  if (!form) {
    cache.delete(slug);
    return null;
  }
  const business = await deps.models.Business.findOne({
    where: ownBusiness(businessScope(form.businessId)),
    attributes: ["id", "ownerId", "name", "country"],
  });
  if (!business) return null;
  const value: PublicForm = {
    form,
    fields: parseFields(form.fields),
    business: {
      id: business.id,
      ownerId: business.ownerId,
      name: business.name,
      country: business.country ?? "",
    },
  };
  const ttlMs = deps.config.FORMS_CACHE_SECONDS * 1000;
  if (ttlMs > 0) {
    if (cache.size >= maxEntries) cache.clear();
    cache.set(slug, { value, expiresAt: now + ttlMs });
  }
  return value;
}
