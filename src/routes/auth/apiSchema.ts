import { z } from "zod";
import { loginSchema } from "./schema";

/** POST /api/v1/auth/login: the same fields and messages as the sign-in form. */
export const apiLoginSchema = loginSchema.pick({ email: true, password: true });

const refreshToken = z
  .string({ error: "Send the refresh token you were given." })
  .min(1, { error: "Send the refresh token you were given." })
  .max(200);

/** POST /api/v1/auth/refresh-token */
export const refreshTokenSchema = z.object({ refreshToken });

/** POST /api/v1/auth/logout: the refresh token is only needed when the access token has expired. */
export const logoutSchema = z.object({ refreshToken: refreshToken.optional() });
