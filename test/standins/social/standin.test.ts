import { createHash } from "node:crypto";
import { mockAccountParam, socialClients, startSocialOAuth, type SocialOAuthServer } from "./oauth";
import { SocialStandIn } from "./server";

/** The stand-in itself: the protocol rules the network clients' tests rely on. */
let standIn: SocialStandIn;
let oauth: SocialOAuthServer;

beforeAll(async () => {
  standIn = await new SocialStandIn().start();
  oauth = await startSocialOAuth();
  standIn.trustIssuer(oauth.url);
});
afterAll(async () => {
  await standIn.stop();
  await oauth.stop();
});

const linkedInHeaders = (token: string) => ({
  authorization: `Bearer ${token}`,
  "linkedin-version": "202506",
  "x-restli-protocol-version": "2.0.0",
  "content-type": "application/json",
});

const post = (author: string, commentary: string, content?: unknown) =>
  JSON.stringify({
    author,
    commentary,
    visibility: "PUBLIC",
    distribution: {
      feedDistribution: "MAIN_FEED",
      targetEntities: [],
      thirdPartyDistributionChannels: [],
    },
    lifecycleState: "PUBLISHED",
    ...(content ? { content } : {}),
  });

describe("social stand-in", () => {
  it("LinkedIn: refuses an unknown token and a missing version, takes an image only once uploaded", async () => {
    const author = "urn:li:person:abc";
    const token = standIn.issueToken("linkedin", author);
    const url = `${standIn.baseUrl("linkedin")}/rest/posts`;
    expect(
      (
        await fetch(url, {
          method: "POST",
          headers: linkedInHeaders("nope"),
          body: post(author, "hi"),
        })
      ).status,
    ).toBe(401);
    const noVersion = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${token}` },
      body: post(author, "hi"),
    });
    expect(noVersion.status).toBe(426);

    const init = await fetch(`${standIn.baseUrl("linkedin")}/rest/images?action=initializeUpload`, {
      method: "POST",
      headers: linkedInHeaders(token),
      body: JSON.stringify({ initializeUploadRequest: { owner: author } }),
    });
    const { value } = (await init.json()) as { value: { uploadUrl: string; image: string } };
    const early = await fetch(url, {
      method: "POST",
      headers: linkedInHeaders(token),
      body: post(author, "pic", { media: { id: value.image } }),
    });
    expect(((await early.json()) as { code: string }).code).toBe("MEDIA_NOT_UPLOADED");
    const put = await fetch(value.uploadUrl, {
      method: "PUT",
      headers: { authorization: `Bearer ${token}` },
      body: Buffer.from("png"),
    });
    expect(put.status).toBe(201);
    const ok = await fetch(url, {
      method: "POST",
      headers: linkedInHeaders(token),
      body: post(author, "pic", { media: { id: value.image } }),
    });
    expect(ok.status).toBe(201);
    expect(ok.headers.get("x-restli-id")).toMatch(/^urn:li:share:/);
    expect(standIn.postsOf("linkedin")).toEqual([
      expect.objectContaining({ text: "pic", media: [value.image] }),
    ]);
  });

  it("X: PKCE is required at /authorize and the verifier must match the challenge", async () => {
    const redirect = "http://app.test/cb";
    const authorize = (extra: Record<string, string>) =>
      fetch(
        `${oauth.url}/authorize?${new URLSearchParams({ client_id: socialClients.x.id, redirect_uri: redirect, response_type: "code", state: "s", scope: "tweet.write", mock_account: mockAccountParam({ sub: "42", name: "X User" }), ...extra })}`,
        { redirect: "manual" },
      );
    const noPkce = new URL((await authorize({})).headers.get("location") as string);
    expect(noPkce.searchParams.get("error")).toBe("invalid_request");

    // challenge of verifier "a" * 43 (S256)
    const verifier = "a".repeat(43);
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const token = async (code: string, codeVerifier: string) =>
      fetch(`${oauth.url}/token`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: `Basic ${Buffer.from(`${socialClients.x.id}:${socialClients.x.secret}`).toString("base64")}`,
        },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          redirect_uri: redirect,
          code_verifier: codeVerifier,
        }),
      });
    const codeOf = async () =>
      new URL(
        (await authorize({ code_challenge: challenge, code_challenge_method: "S256" })).headers.get(
          "location",
        ) as string,
      ).searchParams.get("code") as string;
    expect((await token(await codeOf(), "b".repeat(43))).ok).toBe(false);
    const good = await token(await codeOf(), verifier);
    expect(good.status).toBe(200);
    const { access_token: accessToken } = (await good.json()) as { access_token: string };
    const me = await fetch(`${standIn.baseUrl("x")}/2/users/me`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(((await me.json()) as { data: { id: string } }).data.id).toBe("42");
  });

  it("Instagram: a container is published once, and 50 posts a day is the cap", async () => {
    const token = standIn.issueToken("instagram", "ig1");
    const base = `${standIn.baseUrl("instagram")}/v20.0/ig1`;
    const auth = { authorization: `Bearer ${token}` };
    standIn.instagramDailyLimit = 1;
    const container = (await (
      await fetch(`${base}/media?image_url=https://img.test/a.jpg&caption=hello`, {
        method: "POST",
        headers: auth,
      })
    ).json()) as { id: string };
    expect(
      (
        await fetch(`${base}/media_publish?creation_id=${container.id}`, {
          method: "POST",
          headers: auth,
        })
      ).status,
    ).toBe(200);
    const again = await fetch(`${base}/media_publish?creation_id=${container.id}`, {
      method: "POST",
      headers: auth,
    });
    expect(((await again.json()) as { error: { code: number } }).error.code).toBe(9);
    const second = (await (
      await fetch(`${base}/media?image_url=https://img.test/b.jpg&caption=two`, {
        method: "POST",
        headers: auth,
      })
    ).json()) as { id: string };
    const capped = await fetch(`${base}/media_publish?creation_id=${second.id}`, {
      method: "POST",
      headers: auth,
    });
    expect(
      ((await capped.json()) as { error: { error_subcode: number } }).error.error_subcode,
    ).toBe(2207042);
    standIn.instagramDailyLimit = 50;
  });
});
