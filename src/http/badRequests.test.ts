import request from "supertest";
import { buildTestApp, type TestApp } from "../../test/support/app";
import { apiAs, type ApiMethod } from "../../test/support/api";
import { ownerSignedIn, type Agent } from "../../test/support/customers";
import { csrfFrom } from "../../test/support/forms";
import { buildCustomer, defaultPassword } from "../../test/factories";
import type { Business } from "../models";

/**
 * Requests that are the client's fault get their 4xx — the JSON envelope on the API (and for the
 * photo cropper, which asks for JSON), the error page elsewhere — never a 500 (issue 10, item 14).
 */
const envelopeShape = {
  statusCode: expect.any(Number),
  error: expect.any(String),
  message: expect.any(String),
  details: expect.any(Object),
};

function expectEnvelope(res: request.Response, status: number, error: string) {
  expect(res.status).toBe(status);
  expect(res.headers["content-type"]).toMatch(/application\/json/);
  expect(res.body).toEqual({ ...envelopeShape, statusCode: status, error });
  expect(res.body.message).not.toMatch(/busboy|multipart:|\n\s+at /i);
}

function expectErrorPage(res: request.Response, status: number, error: string) {
  expect(res.status).toBe(status);
  expect(res.headers["content-type"]).toMatch(/text\/html/);
  expect(res.text).toContain(`data-error-id="${error}"`);
  expect(res.text).not.toContain("Something went wrong");
}

const boundary = "----crm-test-boundary";
const multipart = `multipart/form-data; boundary=${boundary}`;
const fileHead =
  `--${boundary}\r\n` +
  'Content-Disposition: form-data; name="file"; filename="people.csv"\r\n' +
  "Content-Type: text/csv\r\n\r\n";
/** Three broken multipart bodies: no boundary given, cut off mid-file, a part header without a colon. */
const brokenMultipart: Array<{ name: string; type: string; body: string }> = [
  { name: "no boundary", type: "multipart/form-data", body: `${fileHead}name\nAsha\r\n` },
  { name: "truncated", type: multipart, body: `${fileHead}name,phone\nAsha,98` },
  {
    name: "a malformed part header",
    type: multipart,
    body: `--${boundary}\r\nContent-Disposition form-data\r\n\r\nx\r\n--${boundary}--\r\n`,
  },
];

describe("bad requests are answered as client errors", () => {
  let t: TestApp;
  let agent: Agent;
  let business: Business;
  let csrf: string;
  let api: (method: ApiMethod, path: string, body?: object) => request.Test;

  beforeAll(async () => {
    t = await buildTestApp();
    const signedIn = await ownerSignedIn(t, "gold");
    agent = signedIn.agent;
    business = signedIn.business;
    csrf = csrfFrom(await agent.get("/imports/new").expect(200));
    api = await apiAs(t, signedIn.owner, business);
  });
  afterAll(() => t.close());

  describe("bodies the parsers refuse (415)", () => {
    it("a JSON body in an unsupported charset, to the API", async () => {
      const res = await api("post", "/customers")
        .set("Content-Type", "application/json; charset=latin1")
        .send('{"name":"Asha"}');
      expectEnvelope(res, 415, "unsupported_media_type");
      expect(res.body.message).toContain("UTF-8");
    });

    it("a body in an unknown Content-Encoding, to the API", async () => {
      const res = await api("post", "/customers")
        .set("Content-Type", "application/json")
        .set("Content-Encoding", "br, xyz")
        .send('{"name":"Asha"}');
      expectEnvelope(res, 415, "unsupported_media_type");
      expect(res.body.message).toContain("Content-Encoding");
    });

    it("the same to the API's sign-in, which nobody is signed in for", async () => {
      const res = await request(t.app)
        .post("/api/v1/auth/login")
        .set("Content-Type", "application/json; charset=latin1")
        .send(JSON.stringify({ email: "a@example.test", password: defaultPassword }));
      expectEnvelope(res, 415, "unsupported_media_type");
    });

    it("a page form in an unsupported charset or encoding gets the error page", async () => {
      const form = `_csrf=${encodeURIComponent(csrf)}&name=Asha`;
      const charset = await agent
        .post("/customers")
        .set("Content-Type", "application/x-www-form-urlencoded; charset=latin1")
        .send(form);
      expectErrorPage(charset, 415, "unsupported_media_type");
      const encoding = await agent
        .post("/customers")
        .set("Content-Type", "application/x-www-form-urlencoded")
        .set("Content-Encoding", "br, xyz")
        .send(form);
      expectErrorPage(encoding, 415, "unsupported_media_type");
    });

    it("malformed JSON stays a 400 envelope", async () => {
      const res = await api("post", "/customers")
        .set("Content-Type", "application/json")
        .send("{oops");
      expectEnvelope(res, 400, "bad_request");
    });
  });

  describe.each(brokenMultipart)("a multipart body with $name (400)", ({ type, body }) => {
    it("to the import upload page: the error page, and no file left behind", async () => {
      const before = await t.deps.models.Import.count({ where: { businessId: business.id } });
      const res = await agent
        .post("/imports")
        // An unreadable body has no readable _csrf field: the token comes in the header.
        .set("X-CSRF-Token", csrf)
        .set("Content-Type", type)
        .send(body);
      expectErrorPage(res, 400, "bad_request");
      expect(res.text).toContain("The upload could not be read");
      expect(await t.deps.models.Import.count({ where: { businessId: business.id } })).toBe(before);
    });

    it("to the import API: the envelope", async () => {
      const res = await api("post", "/imports").set("Content-Type", type).send(body);
      expectEnvelope(res, 400, "bad_request");
      expect(res.body.details).toEqual({ reason: "multipart_unreadable" });
    });

    it("to the photo upload: the error page, or the envelope for the cropper", async () => {
      const page = await agent
        .post("/profile/avatar")
        .set("X-CSRF-Token", csrf)
        .set("Content-Type", type)
        .send(body.replace('name="file"', 'name="avatar"'));
      expectErrorPage(page, 400, "bad_request");
      const cropper = await agent
        .post("/profile/avatar")
        .set("X-CSRF-Token", csrf)
        .set("Accept", "application/json")
        .set("Content-Type", type)
        .send(body.replace('name="file"', 'name="avatar"'));
      expectEnvelope(cropper, 400, "bad_request");
    });
  });

  describe("record ids are decimal digits only", () => {
    let customerId: number;
    beforeAll(async () => {
      customerId = (await buildCustomer(t.deps.models, business, { name: "Hex Tester" })).id;
    });

    it.each(["0x", "0o", "0b"])("a %s id in a page's path names no record (404)", async (base) => {
      const radix = { "0x": 16, "0o": 8, "0b": 2 }[base] as number;
      const res = await agent.get(`/customers/${base}${customerId.toString(radix)}`);
      expectErrorPage(res, 404, "not_found");
      await agent.get(`/customers/${customerId}`).expect(200);
    });

    it("nor in the API's, nor written with an exponent, a sign, spaces or a leading zero", async () => {
      const hex = `0x${customerId.toString(16)}`;
      for (const path of [
        hex,
        `${customerId}e0`,
        `+${customerId}`,
        `%20${customerId}`,
        `0${customerId}`,
      ])
        expectEnvelope(await api("get", `/customers/${path}`), 404, "not_found");
      expect((await api("get", `/customers/${customerId}`)).status).toBe(200);
    });

    it("ids in a form or a query are read by the same rule", async () => {
      // The merge form names its duplicate by id: a hex id is no id, so nothing is merged.
      const duplicate = await buildCustomer(t.deps.models, business, { name: "Hex Duplicate" });
      const merge = await agent
        .post(`/customers/${customerId}/merge`)
        .type("form")
        .send({ _csrf: csrf, duplicateId: `0x${duplicate.id.toString(16)}` });
      expect(merge.status).toBe(302);
      expect(merge.headers.location).toMatch(new RegExp(`^/customers/${customerId}/merge`));
      expect(await t.deps.models.Customer.findByPk(duplicate.id)).not.toBeNull();
      // A list filtered by the owner's id in hex is refused, not read as that owner.
      const ownerHex = `0x${business.ownerId.toString(16)}`;
      const page = await agent.get(`/customers?ownerId=${ownerHex}`);
      expect(page.status).toBe(422);
      expect(page.text).toContain("Choose a team member.");
      const listed = await api("get", `/customers?ownerId=${ownerHex}`);
      expectEnvelope(listed, 422, "validation_failed");
      expect(Object.keys(listed.body.details.fields)).toEqual(["ownerId"]);
      expect((await api("get", `/customers?ownerId=${business.ownerId}`)).status).toBe(200);
    });
  });
});
