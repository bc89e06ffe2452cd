import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn, signedIn } from "../../../test/support/customers";
import { buildCustomer, buildMember, buildSegment } from "../../../test/factories";

/**
 * The list page leaves out the filter's choices (owners, tag names, segments): its panel loads
 * them when opened (htmx), and a browser without JavaScript follows the panel's link to the same
 * page with ?filters=1, which renders them.
 */
describe("the customer filter's choices", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  async function world() {
    const signed = await ownerSignedIn(t, "gold");
    const models = t.deps.models;
    const { user: seller } = await buildMember(models, signed.business, "sales");
    await seller.update({ name: "Sunil Seller" });
    await buildCustomer(models, signed.business, { name: "Asha Verma", tags: ["vip", "diwali"] });
    await buildSegment(models, { businessId: signed.business.id, name: "Diwali buyers" });
    return { ...signed, seller };
  }

  it("are not on the list page, which links to them and loads them when the panel opens", async () => {
    const { agent } = await world();
    const page = await agent.get("/customers").expect(200);
    expect(page.text).toContain("Asha Verma");
    expect(page.text).not.toContain('id="field-ownerId"');
    expect(page.text).not.toContain("Sunil Seller");
    expect(page.text).not.toContain("Diwali buyers");
    expect(page.text).toMatch(
      /<details[^>]*id="filter-choices"[^>]*hx-get="\/customers\/filter-options"[^>]*hx-trigger="toggle once"/,
    );
    // Handlebars writes "=" in attributes as &#x3D;, which a browser reads back.
    expect(page.text).toContain('href="/customers?filters&#x3D;1"');
    expect(page.text).toMatch(/id="bulk-owner"[^>]*hx-preserve="true"[^>]*hx-get=/);
  });

  it("are rendered on the page for a browser without JavaScript (?filters=1)", async () => {
    const { agent, owner } = await world();
    const page = await agent.get("/customers?filters=1").expect(200);
    expect(page.text).toMatch(/<details[^>]*id="filter-choices" open>/);
    expect(page.text).toMatch(/<option value="\d+">Sunil Seller<\/option>/);
    expect(page.text).toContain(`<option value="${owner.id}">Owner Person</option>`);
    expect(page.text).toContain('<option value="diwali"></option><option value="vip"></option>');
    expect(page.text).toContain(">Diwali buyers</a>");
    // The bulk bar's owner picker has them too, and nothing is left to load.
    expect(page.text).toMatch(
      /id="bulk-owner"[^>]*>\s*<option value="">Owner…<\/option>\s*<option/,
    );
    expect(page.text).not.toContain('hx-get="/customers/filter-options');
  });

  it("are rendered with the owner selected when the filter names one", async () => {
    const { agent, seller } = await world();
    const page = await agent.get(`/customers?ownerId=${seller.id}`).expect(200);
    expect(page.text).toContain(`<option value="${seller.id}" selected>Sunil Seller</option>`);
  });

  it("come as a fragment for the panel, with the bulk owner picker for those who manage", async () => {
    const { agent, seller, business } = await world();
    const res = await agent.get(`/customers/filter-options?ownerId=${seller.id}`).expect(200);
    expect(res.text).not.toContain("<html");
    expect(res.text).toContain(`<option value="${seller.id}" selected>Sunil Seller</option>`);
    expect(res.text).toContain('<datalist id="tag-names">');
    expect(res.text).toContain(">Diwali buyers</a>");
    expect(res.text).toMatch(/<select id="bulk-owner" hx-swap-oob="innerHTML">/);

    const { user: support } = await buildMember(t.deps.models, business, "support");
    const reader = await signedIn(t, support.email);
    const fragment = await reader.get("/customers/filter-options?ownerId=oops").expect(200);
    expect(fragment.text).toContain("Sunil Seller");
    expect(fragment.text).not.toContain("bulk-owner");
  });

  it("are not given to someone signed out", async () => {
    const res = await request(t.app).get("/customers/filter-options");
    expect(res.status).toBe(302);
    expect(res.headers.location).toMatch(/^\/login/);
  });
});
