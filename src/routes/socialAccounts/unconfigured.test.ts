import { buildTestApp, type TestApp } from "../../../test/support/app";
import { ownerSignedIn } from "../../../test/support/customers";
import { SocialStandIn } from "../../../test/standins/social/server";

/** A server without X's OAuth app: the page says what is missing, and no flow can start. */
let bare: TestApp;
let standIn: SocialStandIn;

beforeAll(async () => {
  standIn = await new SocialStandIn().start();
  bare = await buildTestApp({
    ...standIn.settings(),
    LINKEDIN_CLIENT_ID: "linkedin-client",
    LINKEDIN_CLIENT_SECRET: "linkedin-secret",
  });
});
afterAll(async () => {
  await bare.close();
  await standIn.stop();
});

describe("social accounts without a network's OAuth app", () => {
  it("a network without a client id says so plainly and cannot be started", async () => {
    const { agent } = await ownerSignedIn(bare, "gold");
    const page = await agent.get("/social/accounts").expect(200);
    expect(page.text).toContain(
      "Not set up on this server: the administrator needs to set X_CLIENT_ID and X_CLIENT_SECRET.",
    );
    expect(page.text).not.toContain('href="/social/accounts/x/connect"');
    expect(page.text).toContain('href="/social/accounts/linkedin/connect"');
    const start = await agent.get("/social/accounts/x/connect");
    expect(start.status).toBe(302);
    expect((await agent.get("/social/accounts")).text).toContain("X is not set up on this server");
  });
});
