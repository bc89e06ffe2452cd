import { endpoint, type Endpoint } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";

/** The dashboard for signed-in people, the welcome page for everyone else. */
export const homeEndpoints: Endpoint[] = [
  endpoint({
    method: "get",
    path: "/",
    auth: "page",
    permission: "anyone",
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
