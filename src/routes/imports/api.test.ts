import { writeFileSync } from "node:fs";
import path from "node:path";
import request from "supertest";
import { buildTestApp, type TestApp } from "../../../test/support/app";
import { buildBusiness, buildUser, defaultPassword } from "../../../test/factories";
import { sampleCsv, tempDir } from "../../../test/support/imports";

/** POST /api/v1/imports and GET /api/v1/imports/:importId, as an integrator uses them. */
describe("imports API", () => {
  let t: TestApp;
  const dir = tempDir("crm-import-api-");

  beforeAll(async () => {
    t = await buildTestApp({ UPLOADS_DIR: tempDir("crm-import-api-uploads-") });
  });
  afterAll(() => t.close());

  async function client(plan = "gold") {
    const owner = await buildUser(t.deps.models, { planCode: plan });
    const { business } = await buildBusiness(t.deps.models, { owner, country: "IN" });
    const login = await request(t.app)
      .post("/api/v1/auth/login")
      .send({ email: owner.email, password: defaultPassword });
    const token = login.body.data.accessToken as string;
    const headers = { Authorization: `Bearer ${token}`, "X-Business-Id": String(business.id) };
    return { business, headers };
  }

  async function finished(headers: Record<string, string>, id: number) {
    for (let i = 0; i < 200; i++) {
      const res = await request(t.app).get(`/api/v1/imports/${id}`).set(headers);
      expect(res.status).toBe(200);
      if (!res.body.data.working) return res.body.data;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error("the import never finished");
  }

  it("imports an uploaded file with the mapping from its headers, and reports progress and counts", async () => {
    const { headers } = await client();
    const res = await request(t.app).post("/api/v1/imports").set(headers).attach("file", sampleCsv);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      statusCode: 202,
      data: { fileName: "sample_customers_100.csv", status: "inspecting", mode: "skip" },
    });
    const data = await finished(headers, res.body.data.id);
    expect(data).toMatchObject({
      status: "completed",
      counts: { created: 100, updated: 0, skipped: 0, failed: 0 },
      progress: { total: 100, processed: 100, percent: 100 },
      links: {
        self: `/api/v1/imports/${res.body.data.id}`,
        errorReport: `/api/v1/imports/${res.body.data.id}/errors.csv`,
      },
    });

    const again = await request(t.app)
      .post("/api/v1/imports")
      .set(headers)
      .field("mode", "update")
      .field("updateFields", "name,email")
      .attach("file", sampleCsv);
    expect(again.status).toBe(202);
    expect(await finished(headers, again.body.data.id)).toMatchObject({
      mode: "update",
      counts: { created: 0, updated: 100 },
    });
  });

  it("takes a mapping by header name and lists failed rows in the error report", async () => {
    const { headers } = await client();
    const file = path.join(dir, "odd.csv");
    writeFileSync(file, "Customer,Cell,Other\nAsha Verma,9876543210,x\nNo Phone,,y\n");
    const res = await request(t.app)
      .post("/api/v1/imports")
      .set(headers)
      .field("map.name", "Customer")
      .field("map.phone", "Cell")
      .attach("file", file);
    expect(res.status).toBe(202);
    const data = await finished(headers, res.body.data.id);
    expect(data.counts).toEqual({ created: 1, updated: 0, skipped: 0, failed: 1 });
    const report = await request(t.app).get(data.links.errorReport).set(headers);
    expect(report.status).toBe(200);
    expect(report.headers["content-type"]).toMatch(/^text\/csv/);
    expect(
      report.text
        .replace(/^\uFEFF/, "")
        .trim()
        .split("\n"),
    ).toEqual(["Row,Errors,Customer,Cell,Other", "3,Phone: Enter the phone number.,No Phone,,y"]);
  });

  it("fails an import whose mapping names a column the file does not have", async () => {
    const { headers } = await client();
    const res = await request(t.app)
      .post("/api/v1/imports")
      .set(headers)
      .field("map.phone", "Telephone")
      .attach("file", sampleCsv);
    const data = await finished(headers, res.body.data.id);
    expect(data).toMatchObject({
      status: "failed",
      error: { message: 'The file has no column "Telephone".' },
    });
  });

  it("answers bad options, missing files and plans without imports in the envelope", async () => {
    const { headers } = await client();
    const mode = await request(t.app)
      .post("/api/v1/imports")
      .set(headers)
      .field("mode", "merge")
      .attach("file", sampleCsv);
    expect(mode.status).toBe(422);
    expect(mode.body).toMatchObject({
      error: "validation_failed",
      details: { fields: { mode: expect.any(String) } },
    });
    const missing = await request(t.app).post("/api/v1/imports").set(headers).field("mode", "skip");
    expect(missing.status).toBe(422);
    const { headers: free } = await client("free");
    const plan = await request(t.app).post("/api/v1/imports").set(free).attach("file", sampleCsv);
    expect(plan.status).toBe(402);
    expect(plan.body.error).toBe("plan_limit");
    expect((await request(t.app).get("/api/v1/imports/1")).status).toBe(401);
  });
});
