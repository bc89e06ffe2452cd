import { cookieValue, serializedCookie, signedValue, unsignedValue } from "./signedCookie";

const secret = "a-secret-of-some-length";

describe("the session cookie's signed value", () => {
  it("is written as express-session wrote it, so cookies issued before still sign in", () => {
    // The value express-session (cookie-signature) gave this id and secret.
    expect(signedValue("AbC-_123xyz", secret)).toBe(
      "s:AbC-_123xyz.sdijzoVQJGChcb77sExZr8HkV8dqTHbCoLoBJm89hKg",
    );
    expect(unsignedValue("s:AbC-_123xyz.sdijzoVQJGChcb77sExZr8HkV8dqTHbCoLoBJm89hKg", secret)).toBe(
      "AbC-_123xyz",
    );
  });

  it("refuses a value another secret signed, a changed id or signature, and unsigned ids", () => {
    const value = signedValue("session-one", secret);
    expect(unsignedValue(value, "another-secret-entirely")).toBeNull();
    expect(unsignedValue(value.replace("session-one", "session-two"), secret)).toBeNull();
    expect(unsignedValue(`${value.slice(0, -1)}A`, secret)).toBeNull();
    expect(unsignedValue(`${value}A`, secret)).toBeNull();
    expect(unsignedValue("session-one", secret)).toBeNull();
    expect(unsignedValue("s:session-one", secret)).toBeNull();
    expect(unsignedValue("s:.", secret)).toBeNull();
  });
});

describe("reading and writing the cookie", () => {
  it("finds the first cookie of that name, decoded, and nothing for others or bad encodings", () => {
    const header = "theme=dark; crm.sid=s%3Aabc.def; crm.sid=s%3Aother.x; crm.sidx=1";
    expect(cookieValue(header, "crm.sid")).toBe("s:abc.def");
    expect(cookieValue('crm.sid="s%3Aq.r"', "crm.sid")).toBe("s:q.r");
    expect(cookieValue("crm.sidx=1; theme=dark", "crm.sid")).toBeNull();
    expect(cookieValue("crm.sid=%E0%A4%A", "crm.sid")).toBeNull();
    expect(cookieValue(undefined, "crm.sid")).toBeNull();
  });

  it("serialises a site-wide cookie with its lifetime and flags", () => {
    const attributes = { maxAgeSeconds: 1_209_600, httpOnly: true, secure: true } as const;
    expect(serializedCookie("crm.sid", "s:a+b/c.d", { ...attributes, sameSite: "Lax" })).toBe(
      "crm.sid=s%3Aa%2Bb%2Fc.d; Path=/; Max-Age=1209600; HttpOnly; Secure; SameSite=Lax",
    );
    expect(
      serializedCookie("crm.sid", "v", { ...attributes, secure: false, sameSite: "Lax" }),
    ).not.toContain("Secure");
  });
});
