// Jest globalTeardown: stops the OAuth2 stand-in that oauthServer.mjs started in this process.
export default async function stopOAuthServer() {
  const server = globalThis.__oauthMockServer;
  if (!server) return;
  delete globalThis.__oauthMockServer;
  delete process.env.TEST_OAUTH_ISSUER_URL;
  await server.stop();
}
