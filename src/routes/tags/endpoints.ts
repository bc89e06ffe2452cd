import { routes, type Endpoint } from "../../http/endpoint";
import { loadTag, remove, rename, showTags } from "./pages";
import { tagNameSchema, tagParams } from "./schema";

const page = routes({ auth: "page", feature: "customers" });

/**
 * The tags page: counts, rename (onto an existing name = merge), delete. A tag sits on customers
 * of the whole team, so changing one is tags.manage (owners, admins, managers).
 */
export const tagEndpoints: Endpoint[] = [
  page.get("/tags", "customers.view", { handler: showTags }),
  page.post("/tags/:tagId/rename", "tags.manage", {
    params: tagParams,
    load: loadTag,
    body: tagNameSchema,
    form: { back: () => "/tags", shows: ["validation_failed"] },
    handler: rename,
  }),
  page.post("/tags/:tagId/delete", "tags.manage", {
    params: tagParams,
    load: loadTag,
    handler: remove,
  }),
];
