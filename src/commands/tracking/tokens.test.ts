import { machineHit } from "./bots";
import { signToken, trackingLinks, verifyToken } from "./tokens";

const key = Buffer.alloc(32, 7);
const otherKey = Buffer.alloc(32, 8);
const who = { businessId: 12, customerId: 345, recipientId: 6789 };

describe("tracking tokens", () => {
  it("round-trips and refuses another key, kind, URL or any changed character", () => {
    const token = signToken(key, { ...who, kind: "u" });
    expect(token).toMatch(/^u-c-9l-58l\.[A-Za-z0-9_-]{22}$/);
    expect(verifyToken(key, token, "u")).toEqual({ ...who, kind: "u" });
    expect(verifyToken(otherKey, token, "u")).toBeNull();
    expect(verifyToken(key, token, "o")).toBeNull();
    expect(verifyToken(key, token.replace("-9l-", "-9m-"), "u")).toBeNull();
    for (let i = 0; i < token.length; i++) {
      const flipped = token.slice(0, i) + (token[i] === "A" ? "B" : "A") + token.slice(i + 1);
      if (flipped !== token) expect(verifyToken(key, flipped, "u")).toBeNull();
    }
    const click = signToken(key, { ...who, kind: "c" }, "https://a.example/x");
    expect(verifyToken(key, click, "c", "https://a.example/x")).not.toBeNull();
    expect(verifyToken(key, click, "c", "https://a.example/y")).toBeNull();
  });

  it("builds the three links of a message from APP_URL", () => {
    const links = trackingLinks("https://crm.example.com/", key, who);
    expect(links.openPixelUrl).toMatch(
      /^https:\/\/crm\.example\.com\/t\/o\/o-c-9l-58l\.[\w-]{22}\.gif$/,
    );
    expect(links.unsubscribeUrl).toMatch(/^https:\/\/crm\.example\.com\/u\/u-c-9l-58l\.[\w-]{22}$/);
    expect(links.clickUrl("https://shop.example.com/?a=1")).toMatch(
      /^https:\/\/crm\.example\.com\/t\/c\/c-c-9l-58l\.[\w-]{22}\?u=https%3A%2F%2Fshop\.example\.com%2F%3Fa%3D1$/,
    );
  });
});

describe("machine hits", () => {
  const sentAt = new Date("2030-01-01T00:00:00Z");
  const later = new Date("2030-01-01T00:05:00Z");
  const browser = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15";

  it("counts people and mail providers' image proxies", () => {
    expect(machineHit({ method: "GET", userAgent: browser, sentAt, at: later })).toBeNull();
    expect(
      machineHit({
        method: "GET",
        userAgent: "Mozilla/5.0 (via ggpht.com GoogleImageProxy)",
        sentAt,
        at: later,
      }),
    ).toBeNull();
  });

  it("filters HEAD, no user agent, scanners and tools, and hits within 2 s of the send", () => {
    expect(machineHit({ method: "HEAD", userAgent: browser, sentAt, at: later })).toBe(
      "head_request",
    );
    expect(machineHit({ method: "GET", userAgent: undefined, sentAt, at: later })).toBe(
      "no_user_agent",
    );
    for (const agent of [
      "Barracuda Sentinel",
      "Mimecast URL Protect",
      "curl/8.5.0",
      "Go-http-client/1.1",
    ])
      expect(machineHit({ method: "GET", userAgent: agent, sentAt, at: later })).toBe(
        "scanner_user_agent",
      );
    const soon = new Date(sentAt.getTime() + 1999);
    expect(machineHit({ method: "GET", userAgent: browser, sentAt, at: soon })).toBe(
      "too_soon_after_send",
    );
  });
});
