import request from "supertest";
import type { TestApp } from "./app";
import { signIn } from "./forms";
import { buildBusiness, buildUser, defaultPassword } from "../factories";

export type Agent = ReturnType<typeof request.agent>;

/** A business on `plan` (its owner's plan) and a browser signed in as the owner. */
export async function ownerSignedIn(t: TestApp, plan = "gold", country = "IN") {
  const owner = await buildUser(t.deps.models, { name: "Owner Person", planCode: plan });
  const { business } = await buildBusiness(t.deps.models, { owner, country });
  const agent = request.agent(t.app);
  await signIn(agent, owner.email, defaultPassword);
  return { business, owner, agent };
}

export async function signedIn(t: TestApp, email: string): Promise<Agent> {
  const agent = request.agent(t.app);
  await signIn(agent, email, defaultPassword);
  return agent;
}

/** Names of the customers in a rendered list page, in order. */
export function namesOnPage(html: string): string[] {
  return [...html.matchAll(/<td><a href="\/customers\/\d+">([^<]+)<\/a><\/td>/g)].map((m) => m[1]!);
}

/** The href of a link with `rel`, decoded as a browser would. */
export function linkWithRel(html: string, rel: "next" | "prev"): string | null {
  const match = new RegExp(`rel="${rel}" href="([^"]+)"`).exec(html);
  return match
    ? match[1]!
        .replace(/&amp;/g, "&")
        .replace(/&#x3D;/g, "=")
        .replace(/&#x27;/g, "'")
    : null;
}
