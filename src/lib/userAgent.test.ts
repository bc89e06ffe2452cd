import { describeUserAgent, deviceIcon } from "./userAgent";

describe("describeUserAgent", () => {
  const cases: Array<[string, string, string]> = [
    [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
      "Chrome on Linux",
      "desktop",
    ],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
      "Safari on iPhone",
      "phone",
    ],
    [
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15",
      "Safari on macOS",
      "desktop",
    ],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
      "Edge on Windows",
      "desktop",
    ],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
      "Firefox on Windows",
      "desktop",
    ],
    [
      "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
      "Samsung Internet on Android",
      "phone",
    ],
    [
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0 Mobile/15E148 Safari/604.1",
      "Chrome on iPhone",
      "phone",
    ],
    [
      "Mozilla/5.0 (Linux; Android 13; Pixel Tablet) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
      "Chrome on Android",
      "tablet",
    ],
    [
      "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 OPR/106.0",
      "Opera on Windows",
      "desktop",
    ],
    [
      "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
      "Chrome on Linux",
      "desktop",
    ],
    ["curl/8.5.0", "API client (curl)", "api"],
    ["", "Unknown device", "unknown"],
  ];

  it.each(cases)("%s → %s", (ua, label, kind) => {
    const described = describeUserAgent(ua);
    expect(described.label).toBe(label);
    expect(described.kind).toBe(kind);
  });

  it("calls anything unrecognised on an API session an API client", () => {
    expect(describeUserAgent("my-integration/2.1", { api: true }).label).toBe("API client");
    expect(describeUserAgent(null, { api: true }).kind).toBe("api");
    expect(describeUserAgent(null).label).toBe("Unknown device");
  });

  it("has an icon for every kind", () => {
    expect(deviceIcon("phone")).toBe("fa-mobile-screen");
    expect(deviceIcon("api")).toBe("fa-code");
    expect(deviceIcon("unknown")).toBe("fa-display");
  });
});
