import { buildTestApp, type TestApp } from "../../../test/support/app";
import { apiAs } from "../../../test/support/api";
import { namesOnPage, ownerSignedIn } from "../../../test/support/customers";
import { buildCustomer } from "../../../test/factories";
import { listCustomers } from "../../commands/customers/list";
import { contextFor } from "../../../test/support/deps";

/**
 * The search box (issue 10, items 10 and 14): names typed surname first, what a phone search
 * matches, search text that is always a value of the statement (quotes, wildcards, NUL), and
 * control characters refused with a 422 naming the field — on the page and in the API.
 */
describe("customer search", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it("finds a name typed surname first, and a middle name with the surname", async () => {
    const { business, agent } = await ownerSignedIn(t);
    for (const name of ["Suresh Shah", "Suresh Kumar Shah", "Shahid Suri", "Ramesh Shah"])
      await buildCustomer(t.deps.models, business, { name });
    const search = async (q: string) =>
      namesOnPage((await agent.get(`/customers?q=${encodeURIComponent(q)}`)).text);
    expect(await search("shah suresh")).toEqual(["Suresh Kumar Shah", "Suresh Shah"]);
    expect(await search("Shah  Sur")).toEqual(["Suresh Kumar Shah", "Suresh Shah"]);
    expect(await search("shah suresh kumar")).toEqual(["Suresh Kumar Shah"]);
    expect(await search("suresh shah")).toEqual(["Suresh Shah"]);
    expect(await search("kumar shah")).toEqual(["Suresh Kumar Shah"]);
    // One word: the start of the name or of the words after the first ("kumar shah").
    expect(await search("shah")).toEqual(["Ramesh Shah", "Shahid Suri", "Suresh Shah"]);
    // The words must follow one of those orders: the surname before the middle name is not one.
    expect(await search("shah kumar")).toEqual([]);
  });

  it("matches phone numbers by their first or last digits, not digits from the middle", async () => {
    const { business, agent } = await ownerSignedIn(t);
    await buildCustomer(t.deps.models, business, { name: "Asha", phoneE164: "+919684884548" });
    const search = async (q: string) =>
      namesOnPage((await agent.get(`/customers?q=${encodeURIComponent(q)}`)).text);
    expect(await search("96848")).toEqual(["Asha"]);
    expect(await search("84548")).toEqual(["Asha"]);
    expect(await search("+91 96848 84548")).toEqual(["Asha"]);
    expect(await search("88454")).toEqual([]);
    const page = await agent.get("/customers");
    expect(page.text).toContain("first or last digits");
  });

  it("takes quotes and wildcards as text, and NUL does not reach SQL as part of its text", async () => {
    const { business, owner } = await ownerSignedIn(t);
    await buildCustomer(t.deps.models, business, { name: "O'Brien_Ltd" });
    await buildCustomer(t.deps.models, business, { name: "OXBrienXLtd" });
    const ctx = await contextFor(t.deps, business, owner);
    const names = async (q: string) =>
      (await listCustomers(t.deps, ctx, { q }, { sort: "name", size: 25 })).rows.map((r) => r.name);
    expect(await names("o'brien_")).toEqual(["O'Brien_Ltd"]);
    expect(await names("o%ltd")).toEqual([]);
    // The command is safe on its own (the merge page passes its own search text): no SQL error.
    expect(await names("o'b\u0000rien")).toEqual([]);
    expect(await names("\\'; DROP TABLE customers; --")).toEqual([]);
  });

  it("refuses control characters with 422 naming the field, on the page and in the API", async () => {
    const { business, owner, agent } = await ownerSignedIn(t);
    await buildCustomer(t.deps.models, business, { name: "Asha Verma" });
    for (const q of ["a%00b", "a%09b", "line%0Abreak"]) {
      const page = await agent.get(`/customers?q=${q}`);
      expect(page.status).toBe(422);
      expect(page.text).toContain("no control characters");
      // The page still lists the customers, unfiltered.
      expect(namesOnPage(page.text)).toEqual(["Asha Verma"]);
    }
    const api = await apiAs(t, owner, business);
    const res = await api("get", "/customers?q=a%00b").expect(422);
    expect(res.body).toMatchObject({ statusCode: 422, error: "validation_failed" });
    expect(Object.keys(res.body.details.fields)).toEqual(["q"]);
    await api("get", "/customers?q=a%20b").expect(200);
  });
});
