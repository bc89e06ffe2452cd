import { routes, type Endpoint } from "../../http/endpoint";
import {
  create,
  listBusinesses,
  remove,
  renderCreateFailure,
  renderDeleteFailure,
  renderSettingsFailure,
  saveSettings,
  showDelete,
  showNew,
  showOnboarding,
  showSettings,
  switchBusiness,
} from "./pages";
import { businessParams, businessSchema, deleteBusinessSchema } from "./schema";

const page = routes({ auth: "page" });

/** Create, list, switch, edit and delete businesses; onboarding for people without one. */
export const businessEndpoints: Endpoint[] = [
  page.get("/onboarding", "signed-in", { handler: showOnboarding }),
  page.get("/businesses", "signed-in", { handler: listBusinesses }),
  page.get("/businesses/new", "signed-in", { handler: showNew }),
  page.post("/businesses", "signed-in", {
    body: businessSchema,
    form: { render: renderCreateFailure },
    handler: create,
  }),
  page.post("/businesses/:businessId/switch", "signed-in", {
    params: businessParams,
    handler: switchBusiness,
  }),
  page.get("/business/settings", "business.update", { handler: showSettings }),
  page.post("/business/settings", "business.update", {
    body: businessSchema,
    form: { render: renderSettingsFailure },
    handler: saveSettings,
  }),
  page.get("/business/delete", "business.delete", { handler: showDelete }),
  page.post("/business/delete", "business.delete", {
    body: deleteBusinessSchema,
    form: { render: renderDeleteFailure },
    handler: remove,
  }),
];
