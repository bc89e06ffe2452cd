import { Router } from "express";

/** The dashboard for signed-in people, the welcome page for everyone else. */
export function homePages(): Router {
  const router = Router();
  router.get("/", (req, res) => {
    if (!req.currentUser) {
      res.render("home/welcome", { layout: "public", title: "Welcome" });
      return;
    }
    if (!req.ctx?.business) return res.redirect("/onboarding");
    res.render("home/dashboard", { title: "Dashboard" });
  });
  return router;
}
