import { routes, type Endpoint } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";

const page = routes({ auth: "page" });

/** The dashboard for signed-in people, the welcome page for everyone else. */
export const homeEndpoints: Endpoint[] = [
  page.get("/", "anyone", {
    handler: ({ req, res, ctx }) => {
      if (!req.currentUser) {
        res.render("home/welcome", { layout: "public", title: "Welcome" });
        return;
      }
      if (!ctx?.business) return redirect("/onboarding");
      res.render("home/dashboard", { title: "Dashboard" });
    },
  }),
];
