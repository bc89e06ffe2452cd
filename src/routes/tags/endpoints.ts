import { endpoint, type Endpoint } from "../../http/endpoint";
import { loadTag, remove, rename, showTags } from "./pages";
import { tagNameSchema, tagParams } from "./schema";

/** The tags page: counts, rename (onto an existing name = merge), delete. */
export const tagEndpoints: Endpoint[] = [
  endpoint({
    method: "get",
    path: "/tags",
    auth: "page",
    feature: "customers",
    permission: "customers.view",
    handler: showTags,
  }),
  endpoint({
    method: "post",
    path: "/tags/:tagId/rename",
    auth: "page",
    feature: "customers",
    permission: "customers.manage",
    params: tagParams,
    load: loadTag,
    body: tagNameSchema,
    form: { back: () => "/tags", shows: ["validation_failed"] },
    handler: rename,
  }),
  endpoint({
    method: "post",
    path: "/tags/:tagId/delete",
    auth: "page",
    feature: "customers",
    permission: "customers.manage",
    params: tagParams,
    load: loadTag,
    handler: remove,
  }),
];
