import { routes, type Endpoint } from "../../http/endpoint";
import { showPlans } from "./pages";

const page = routes({ auth: "page" });

/**
 * The plans and what each includes, for everyone: visitors comparing, and members sent here by a
 * locked feature (the current plan is marked). Billing will add its own endpoints.
 */
export const planEndpoints: Endpoint[] = [page.get("/plans", "anyone", { handler: showPlans })];
