import { z } from "zod";
import { routes, type Endpoint } from "../../http/endpoint";
import { formLogo, formTheme, showPublicForm, submitPublicForm } from "./pages";

const visitor = routes({ auth: "public" });
const params = z.object({ slug: z.string().regex(/^[a-z0-9-]{3,64}$/) });

/**
 * Public lead-capture forms: no session, no CSRF token (a signed fill-time token instead), their
 * own per-IP limits. Embeddable in other sites' iframes (middleware/security.ts, /f/ only).
 */
export const publicFormEndpoints: Endpoint[] = [
  visitor.get("/f/:slug", "anyone", {
    params,
    // People open a form a few times a minute; an office behind one address a few more.
    rateLimit: { points: 120, durationSeconds: 60 },
    handler: showPublicForm,
  }),
  visitor.post("/f/:slug", "anyone", {
    params,
    // Counted in the handler (FORMS_SUBMISSIONS_PER_IP_PER_MINUTE, over every form), as spam.
    rateLimit: false,
    handler: submitPublicForm,
  }),
  visitor.get("/f/:slug/theme.css", "anyone", { params, rateLimit: false, handler: formTheme }),
  visitor.get("/f/:slug/logo", "anyone", { params, rateLimit: false, handler: formLogo }),
];
