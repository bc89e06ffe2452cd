import { routes, type Endpoint } from "../../http/endpoint";
import { reply } from "../../http/outcomes";

const api = routes({ auth: "api" });

/** The API's front door: which version this is. */
export const apiRootEndpoints: Endpoint[] = [
  api.get("/api/v1", "anyone", { handler: () => reply({ version: "v1" }, "CRM API") }),
];
