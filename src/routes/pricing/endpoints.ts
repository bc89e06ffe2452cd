import { routes, type Endpoint } from "../../http/endpoint";
import { pricingParams, showPricing } from "./pages";

const page = routes({ auth: "page" });

/** The pricing page, for everyone (the plan gate's 402s and locks link here). */
export const pricingEndpoints: Endpoint[] = [
  page.get("/pricing", "anyone", { handler: showPricing }),
  page.get("/pricing/:plan", "anyone", { params: pricingParams, handler: showPricing }),
];
