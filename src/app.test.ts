import request from "supertest";
import { buildTestApp, type TestApp } from "../test/support/app";
import { signIn } from "../test/support/forms";
import { buildBusiness, buildUser, defaultPassword } from "../test/factories";

/** Every src= and href= in a page, and url(...) in a stylesheet. */
function references(text: string): string[] {
  const attrs = [...text.matchAll(/\b(?:src|href|action)="([^"]*)"/g)].map((m) => m[1] as string);
  const urls = [...text.matchAll(/url\(["']?([^"')]+)["']?\)/g)].map((m) => m[1] as string);
  return [...attrs, ...urls];
}

const foreign = (ref: string) => /^(https?:)?\/\//i.test(ref);

describe("served pages", () => {
  let t: TestApp;
  let signedIn: ReturnType<typeof request.agent>;
  beforeAll(async () => {
    t = await buildTestApp();
    const user = await buildUser(t.deps.models);
    await buildBusiness(t.deps.models, { owner: user });
    signedIn = request.agent(t.app);
    await signIn(signedIn, user.email, defaultPassword);
  });
  afterAll(() => t.close());

  it("carry a strict Content-Security-Policy: no inline script, nothing from another host", async () => {
    const res = await request(t.app).get("/").expect(200);
    const csp = res.headers["content-security-policy"] as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https:|\*/);
  });

  it("reference no other host, signed out or in, and every local asset they name is served", async () => {
    const pages = [
      await request(t.app).get("/"),
      await request(t.app).get("/login"),
      await signedIn.get("/"),
    ];
    const refs = new Set<string>();
    for (const page of pages) {
      expect(page.status).toBe(200);
      for (const ref of references(page.text)) refs.add(ref);
    }
    expect([...refs].filter(foreign)).toEqual([]);
    expect(pages.some((page) => /<script(?![^>]*\bsrc=)[^>]*>/.test(page.text))).toBe(false);
    const assets = [...refs].filter((ref) => /^\/(vendor|css|js|img)\//.test(ref));
    expect(assets.length).toBeGreaterThanOrEqual(6);
    for (const asset of assets) await request(t.app).get(asset).expect(200);
  });

  it("load stylesheets whose fonts are served here too", async () => {
    const css = await request(t.app).get("/vendor/fontawesome/css/all.min.css").expect(200);
    const fonts = references(css.text).filter((ref) => ref.endsWith(".woff2"));
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.filter(foreign)).toEqual([]);
    for (const font of fonts)
      await request(t.app)
        .get(new URL(font, "http://x/vendor/fontawesome/css/").pathname)
        .expect(200);
  });

  it("include the chart and drag-and-drop libraries, whose packages hide their package.json", async () => {
    const chart = await request(t.app).get("/vendor/chartjs/chart.umd.min.js").expect(200);
    expect(chart.text).toContain("Chart");
    const sortable = await request(t.app).get("/vendor/sortable/Sortable.min.js").expect(200);
    expect(sortable.text).toContain("Sortable");
  });

  it("are compressed when the browser asks", async () => {
    const res = await request(t.app)
      .get("/vendor/bootstrap/css/bootstrap.min.css")
      .set("Accept-Encoding", "gzip");
    expect(res.headers["content-encoding"]).toBe("gzip");
  });

  it("hash no page for an ETag, while JSON keeps its ETag and answers a matching one with 304", async () => {
    const page = await signedIn.get("/").expect(200);
    expect(page.headers["content-type"]).toMatch(/text\/html/);
    expect(page.headers.etag).toBeUndefined();
    const json = await request(t.app).get("/api/v1/openapi.json").expect(200);
    expect(json.headers.etag).toMatch(/^W\/"[0-9a-f]+-[A-Za-z0-9+/]{27}"$/);
    const again = await request(t.app)
      .get("/api/v1/openapi.json")
      .set("If-None-Match", json.headers.etag as string);
    expect(again.status).toBe(304);
    expect(again.text).toBe("");
  });

  it("send signed-out visitors of a private page to sign in", async () => {
    const res = await request(t.app).get("/").expect(200);
    expect(res.text).toContain('href="/login"');
  });
});
