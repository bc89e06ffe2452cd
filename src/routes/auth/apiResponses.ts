import { z } from "zod";
import { isoTime, named } from "../../http/apiResponse";
import { roles } from "../../policies/permissions";

/** What the sign-in API answers (routes/auth/api.ts). */
export const userSchema = named(
  "User",
  z.strictObject({
    id: z.number().int(),
    name: z.string(),
    email: z.string(),
    initials: z.string(),
    isPlatformAdmin: z.boolean(),
    avatarUrl: z.string().nullable(),
  }),
);

const userExample: z.input<typeof userSchema> = {
  id: 3,
  name: "Ravi Kumar",
  email: "ravi@example.com",
  initials: "RK",
  isPlatformAdmin: false,
  avatarUrl: null,
};

const tokenFields = {
  accessToken: z.string().describe("JWT; send as Authorization: Bearer"),
  tokenType: z.literal("Bearer"),
  expiresIn: z.number().int().describe("Seconds the access token lives"),
  refreshToken: z.string(),
  refreshTokenExpiresAt: isoTime(),
};
const tokensExample = {
  accessToken: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIzIn0.c2lnbmF0dXJl",
  tokenType: "Bearer" as const,
  expiresIn: 900,
  refreshToken: "p0uS8mE6R5w0c3x1L4vYbGz2Kq9TnHjA7dFeWiXoUaM",
  refreshTokenExpiresAt: "2027-01-01T09:00:00.000Z",
};

export const tokensSchema = named("Tokens", z.strictObject(tokenFields));
export const tokensExampleValue: z.input<typeof tokensSchema> = tokensExample;

export const loginSchemaOut = named(
  "SignedIn",
  z.strictObject({ ...tokenFields, user: userSchema }),
);
export const loginExample: z.input<typeof loginSchemaOut> = { ...tokensExample, user: userExample };

export const meSchema = named(
  "Me",
  z.strictObject({
    user: userSchema,
    business: z
      .strictObject({ id: z.number().int(), name: z.string(), role: z.enum(roles).nullable() })
      .nullable(),
    businesses: z.array(
      z.strictObject({ id: z.number().int(), name: z.string(), role: z.enum(roles) }),
    ),
  }),
);
export const meExample: z.input<typeof meSchema> = {
  user: userExample,
  business: { id: 1, name: "Verma Textiles", role: "owner" },
  businesses: [{ id: 1, name: "Verma Textiles", role: "owner" }],
};
