import type { Response } from "supertest";
import type TestAgent from "supertest/lib/agent";

/** The CSRF token a page rendered into its form, as a browser would submit it. */
export function csrfFrom(res: Response): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(res.text);
  if (!match?.[1]) throw new Error(`No CSRF field in the page (status ${res.status})`);
  return match[1];
}

/** Opens the login page and signs in, as a person would. */
export async function signIn(agent: TestAgent, email: string, password: string) {
  const page = await agent.get("/login");
  return agent
    .post("/login")
    .type("form")
    .send({ _csrf: csrfFrom(page), email, password });
}

/** The path and query of an e-mailed absolute link, to request it from the test app. */
export function pathOf(link: string): string {
  const url = new URL(link);
  return url.pathname + url.search;
}

/** Posts a form as a browser would from `page`: that page's CSRF token with `body`. */
export async function postForm(
  agent: TestAgent,
  page: string,
  path: string,
  body: Record<string, unknown> = {},
) {
  const csrf = csrfFrom(await agent.get(page));
  return agent
    .post(path)
    .type("form")
    .send({ _csrf: csrf, ...body });
}
