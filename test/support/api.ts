import request from "supertest";
import type { Business, User } from "../../src/models";
import type { Clock } from "../../src/lib/clock";
import { buildTestApp, type TestApp } from "./app";
import { buildBusiness, buildUser, defaultPassword } from "../factories";

export type ApiMethod = "get" | "post" | "patch" | "delete";

/** Signs in through the API and returns a caller bound to the token and the business. */
export async function apiAs(t: TestApp, user: User, business: Business) {
  const login = await request(t.app)
    .post("/api/v1/auth/login")
    .send({ email: user.email, password: defaultPassword })
    .expect(200);
  const token = login.body.data.accessToken as string;
  return (method: ApiMethod, path: string, body?: object) => {
    const agent = request(t.app);
    const req = agent[method](`/api/v1${path}`)
      .set("Authorization", `Bearer ${token}`)
      .set("X-Business-Id", String(business.id));
    return body === undefined ? req : req.send(body);
  };
}

/** MySQL DATETIME keeps whole seconds, so a re-read record differs from the one just written by ms. */
export function withoutTimes(data: Record<string, unknown>) {
  const { createdAt: _created, updatedAt: _updated, ...rest } = data;
  return rest;
}

export type ApiCaller = Awaited<ReturnType<typeof apiAs>>;

/** What useApiBusiness fills in before a describe's tests run. */
export interface ApiBusiness {
  t: TestApp;
  owner: User;
  business: Business;
  /**
   * Calls the API signed in as the owner, in the business. Safe to take at describe time
   * (`const { api } = useApiBusiness(…)`): it calls the caller signed in before the tests.
   */
  api: ApiCaller;
}

/**
 * For a describe block of API tests: the app (on `clock` when given), an owner on `planCode`
 * with a business, and a caller signed in through the API as them; built before the block's
 * tests, the app closed after them. Read `t`, `owner` and `business` inside tests.
 */
export function useApiBusiness(options: { planCode: string; clock?: Clock }): ApiBusiness {
  let caller: ApiCaller | undefined;
  const handle = {
    api: (method: ApiMethod, path: string, body?: object) => {
      if (!caller) throw new Error("useApiBusiness: call the API inside a test");
      return caller(method, path, body);
    },
  } as ApiBusiness;
  beforeAll(async () => {
    handle.t = await buildTestApp({}, options.clock ? { clock: options.clock } : {});
    handle.owner = await buildUser(handle.t.deps.models, { planCode: options.planCode });
    ({ business: handle.business } = await buildBusiness(handle.t.deps.models, {
      owner: handle.owner,
    }));
    caller = await apiAs(handle.t, handle.owner, handle.business);
  });
  afterAll(() => handle.t?.close());
  return handle;
}
