import request from "supertest";
import type { Business, User } from "../../src/models";
import type { TestApp } from "./app";
import { defaultPassword } from "../factories";

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
