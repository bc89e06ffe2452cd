import path from "node:path";
import { projectRoot } from "../../config";
import { routes, type Endpoint } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { liveNotificationEndpoints } from "../../notifications/liveEndpoints";
import { activityEndpoints } from "../activity/endpoints";
import { searchEndpoints } from "../search/endpoints";
import { dismissChecklistPage, showDashboard } from "./pages";

const page = routes({ auth: "page" });
const publicEndpoint = routes({ auth: "public" });

/** The app's icon (scripts/make-favicon.ts draws it from public/img/logo.svg). */
const favicon = path.join(projectRoot, "public", "img", "favicon.ico");

/**
 * The dashboard for signed-in people, the welcome page for everyone else; the favicon. The
 * dashboard's neighbours (global search, the activity feed) are listed here too, so the shared
 * routes/index.ts needs no edit for them.
 */
export const homeEndpoints: Endpoint[] = [
  page.get("/", "anyone", {
    handler: ({ req, res, deps, ctx }) => {
      if (!req.currentUser) {
        res.render("home/welcome", { layout: "public", title: "Welcome" });
        return;
      }
      if (!ctx?.business || !ctx.membership || !ctx.plan) return redirect("/onboarding");
      return showDashboard(req, res, deps, ctx as Parameters<typeof showDashboard>[3]);
    },
  }),
  page.post("/dashboard/checklist/dismiss", "business.update", { handler: dismissChecklistPage }),
  ...searchEndpoints,
  ...activityEndpoints,
  ...liveNotificationEndpoints,
  // Browsers ask for /favicon.ico on their own, from any page (sandboxed mail previews included,
  // whose opaque origin needs the cross-origin resource policy). Public: no session is read.
  publicEndpoint.get("/favicon.ico", "anyone", {
    rateLimit: false,
    handler: async ({ res }) => {
      await new Promise<void>((resolve, reject) =>
        res.sendFile(
          favicon,
          {
            headers: {
              "Content-Type": "image/x-icon",
              "Cache-Control": "public, max-age=604800",
              "Cross-Origin-Resource-Policy": "cross-origin",
            },
          },
          (error) => (error ? reject(error) : resolve()),
        ),
      );
    },
  }),
];
