import type { Request, Response } from "express";
import { z } from "zod";
import {
  acceptAsNewUser,
  acceptInvitation,
  accountExists,
  openInvitation,
} from "../../commands/team";
import { AppError } from "../../errors";
import type { FormFailure, LoadCall, PageFormCall, VisitorCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import { startBrowserSession } from "../../lib/browserSessions";
import { fieldErrors, type FieldErrors } from "../../lib/forms";
import { passwordProblems } from "../../lib/passwordPolicy";
import { csrfToken } from "../../middleware/csrf";
import type { Invitation } from "../../models";
import type { RequestContext } from "../../tenancy/context";

/** The link's token, in the query (opening the link) or posted back with the form. */
export const tokenSchema = z.object({ token: z.string().catch("") });

/** What the accept form posts; a new member's name and password are checked against the invitation. */
export const acceptSchema = z.object({
  token: z.string().catch(""),
  name: z.string().optional(),
  password: z.string().optional(),
});

/** The invitee's new account: checked with the invited address, which the password must not echo. */
function newMemberSchema(email: string) {
  return z
    .object({
      name: z.string().trim().min(1, { error: "Enter your name." }).max(120),
      password: z.string().max(200),
    })
    .superRefine((value, ctx) => {
      const problems = passwordProblems(value.password, { email, name: value.name });
      if (problems.length)
        ctx.addIssue({ code: "custom", path: ["password"], message: problems.join(" ") });
    });
}

type Visitor = RequestContext | undefined;
type AcceptCall<I> = VisitorCall<I & { record: Invitation | null }>;

/** The open invitation the link names, or null when it was used, withdrawn or expired. */
export function loadInvitation({ deps, req }: LoadCall<Visitor, unknown>) {
  const source: unknown = req.method === "GET" ? req.query : req.body;
  return openInvitation(deps, tokenSchema.parse(source ?? {}).token);
}

async function view(
  req: Request,
  deps: VisitorCall["deps"],
  invitation: Invitation,
  token: string,
  extra: { values?: Record<string, unknown>; errors?: FieldErrors } = {},
) {
  const signedIn = req.currentUser;
  const hasAccount = !signedIn && (await accountExists(deps, invitation.email));
  return {
    layout: signedIn ? "main" : "public",
    title: "Join " + (invitation.business?.name ?? "the team"),
    csrfToken: csrfToken(req),
    token,
    invitation: {
      email: invitation.email,
      role: invitation.role,
      businessName: invitation.business?.name,
    },
    signedInAsInvitee: signedIn?.email === invitation.email,
    signedInAsOther: Boolean(signedIn) && signedIn?.email !== invitation.email,
    hasAccount,
    loginHref: `/login?next=${encodeURIComponent(`/invitations/accept?token=${token}`)}`,
    values: extra.values ?? {},
    errors: extra.errors ?? {},
  };
}

function expired(res: Response): void {
  res.status(404).render("invitations/expired", { layout: "public", title: "Invitation expired" });
}

/** GET /invitations/accept */
export async function showAccept({
  req,
  res,
  deps,
  query,
  record: invitation,
}: AcceptCall<{ query: typeof tokenSchema }>) {
  if (!invitation) return expired(res);
  res.render("invitations/accept", await view(req, deps, invitation, query.token));
}

export async function renderAcceptFailure(
  { req, res, deps, record: invitation }: PageFormCall<{ record: Invitation | null }, Visitor>,
  failure: FormFailure,
) {
  if (!invitation) return expired(res);
  const token = typeof failure.values.token === "string" ? failure.values.token : "";
  const page = await view(req, deps, invitation, token, failure);
  res.status(failure.status).render("invitations/accept", page);
}

/** POST /invitations/accept: as the signed-in invitee, or by creating the invitee's account. */
export async function accept({
  req,
  res,
  deps,
  body,
  record: invitation,
}: AcceptCall<{ body: typeof acceptSchema }>) {
  if (!invitation) return expired(res);
  if (req.currentUser) {
    await acceptInvitation(deps, invitation, req.currentUser);
  } else {
    const input = newMemberSchema(invitation.email).safeParse(body);
    if (!input.success) throw AppError.validation(fieldErrors(input.error));
    const user = await acceptAsNewUser(deps, invitation, input.data);
    await startBrowserSession(req, user.id);
  }
  req.session.businessId = invitation.businessId;
  return redirect("/", `You joined ${invitation.business?.name ?? "the business"}.`);
}
