import { withoutSecrets } from "./requestLogger";

describe("request log lines", () => {
  it("never carry CSRF or e-mailed link tokens from the query string", () => {
    expect(withoutSecrets("/profile/avatar?_csrf=abc123")).toBe("/profile/avatar?_csrf=[redacted]");
    expect(withoutSecrets("/activate?token=secret&x=1")).toBe("/activate?token=[redacted]&x=1");
    expect(withoutSecrets("/customers?page=2&sort=name")).toBe("/customers?page=2&sort=name");
  });
});
