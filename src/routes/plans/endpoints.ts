import { routes, type Endpoint } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";

const page = routes({ auth: "page" });

/** The plans page became /pricing (issue 13): old links and bookmarks land there. */
export const planEndpoints: Endpoint[] = [
  page.get("/plans", "anyone", { handler: () => redirect("/pricing") }),
];
