import { z } from "zod";
import { tenantOverview } from "../../commands/tenantOverview";
import { routes, type Endpoint } from "../../http/endpoint";

const pageQuery = z.object({ page: z.coerce.number().int().min(1).max(100_000).catch(1) });

const page = routes({ auth: "page" });

/** The platform operator's pages; to everyone else they do not exist (404). */
export const adminEndpoints: Endpoint[] = [
  page.get("/admin", "platform-admin", {
    query: pageQuery,
    handler: async ({ res, deps, query: { page } }) => {
      const { rows, total } = await tenantOverview(deps.models, page);
      res.render("admin/tenants", {
        title: "Tenants",
        total,
        tenants: rows.map((row) => ({
          ...row,
          createdAt: row.createdAt.toISOString().slice(0, 10),
        })),
        page,
        previousPage: page > 1 ? page - 1 : null,
        nextPage: page * 100 < total ? page + 1 : null,
      });
    },
  }),
];
