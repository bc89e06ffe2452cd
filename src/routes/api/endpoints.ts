import { endpoint, type Endpoint } from "../../http/endpoint";
import { reply } from "../../http/outcomes";

/** The API's front door: which version this is. */
export const apiRootEndpoints: Endpoint[] = [
  endpoint({
    method: "get",
    path: "/api/v1",
    auth: "api",
    permission: "anyone",
    handler: () => reply({ version: "v1" }, "CRM API"),
  }),
];
