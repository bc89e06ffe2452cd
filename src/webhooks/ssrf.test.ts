import { checkWebhookUrl, isForbiddenAddress, type Resolver } from "./ssrf";

/** Issue 16 item 4: URLs that would reach the app's own network are refused, before and after DNS. */
describe("the SSRF guard of webhook URLs", () => {
  const guarded = { allowPrivate: false };

  it.each([
    "127.0.0.1",
    "127.255.255.254",
    "10.1.2.3",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "100.64.0.1",
    "100.127.255.255",
    "0.0.0.0",
    "224.0.0.251",
    "239.255.255.250",
    "255.255.255.255",
    "198.18.0.1",
    "::",
    "::1",
    "fe80::1",
    "fe80::1%eth0",
    "fc00::1",
    "fd12:3456:789a::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:169.254.169.254",
    "::ffff:10.0.0.1",
    "64:ff9b::a9fe:a9fe",
    "2002:7f00:1::1",
    "::127.0.0.1",
    "not-an-address",
  ])("refuses the address %s", (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each([
    "93.184.216.34",
    "8.8.8.8",
    "172.32.0.1",
    "100.128.0.1",
    "2606:4700:4700::1111",
    "64:ff9b::808:808",
  ])("accepts the public address %s", (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });

  it.each([
    "http://127.0.0.1/hook",
    "http://0x7f.1/hook",
    "http://0x7f000001/hook",
    "http://2130706433/hook",
    "http://0177.0.0.1/hook",
    "http://127.1/hook",
    "http://[::1]:8080/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[0:0:0:0:0:ffff:7f00:1]/hook",
    "http://169.254.169.254/latest/meta-data/",
    "https://10.0.0.5/",
    "http://0/",
    "http://[fe80::1]/",
  ])("refuses %s when it is saved", async (url) => {
    const check = await checkWebhookUrl(url, guarded);
    expect(check).toEqual({
      ok: false,
      reason: expect.stringContaining("private, loopback") as string,
    });
  });

  it("refuses a host name that resolves to a loopback address (localhost, through the system resolver)", async () => {
    const check = await checkWebhookUrl("http://localhost:3000/hook", guarded);
    expect(check.ok).toBe(false);
  });

  it("refuses a host when any of its addresses is private, and keeps the one it checked", async () => {
    const mixed: Resolver = () =>
      Promise.resolve([
        { address: "93.184.216.34", family: 4 },
        { address: "10.0.0.7", family: 4 },
      ]);
    expect(
      (await checkWebhookUrl("https://hooks.example.com/x", { ...guarded, resolve: mixed })).ok,
    ).toBe(false);
    const good: Resolver = () => Promise.resolve([{ address: "93.184.216.34", family: 4 }]);
    expect(
      await checkWebhookUrl("https://hooks.example.com/x", { ...guarded, resolve: good }),
    ).toMatchObject({
      ok: true,
      target: { address: "93.184.216.34", family: 4 },
    });
  });

  it.each([
    "ftp://example.com/",
    "file:///etc/passwd",
    "gopher://example.com/",
    "javascript:alert(1)",
    "not a url",
  ])("refuses %s: only http and https", async (url) => {
    expect((await checkWebhookUrl(url, guarded)).ok).toBe(false);
  });

  it("refuses a host that does not resolve", async () => {
    const none: Resolver = () => Promise.reject(new Error("ENOTFOUND"));
    expect(
      await checkWebhookUrl("https://nowhere.invalid/", { ...guarded, resolve: none }),
    ).toEqual({
      ok: false,
      reason: "The host nowhere.invalid could not be resolved.",
    });
  });

  it("lets tests and development reach 127.0.0.1 with WEBHOOKS_ALLOW_PRIVATE_HOSTS, still http(s) only", async () => {
    expect((await checkWebhookUrl("http://127.0.0.1:4000/", { allowPrivate: true })).ok).toBe(true);
    expect((await checkWebhookUrl("ftp://127.0.0.1/", { allowPrivate: true })).ok).toBe(false);
  });
});
