import { confirmEmailChange, requestEmailChange } from "../../commands/emailChanger";
import { updateName, updateNotificationPreferences } from "../../commands/profileUpdater";
import type { AccountCall, FormFailure, PageFormCall } from "../../http/endpoint";
import { redirect } from "../../http/outcomes";
import type { User } from "../../models";
import type { RequestContext } from "../../tenancy/context";
import type { confirmSchema, emailSchema, nameSchema, notificationsSchema } from "./schema";
import { profileView } from "./view";

const confirmFailures = {
  invalid: {
    status: 400,
    message:
      "This link is not valid for your account. Check that you are signed in as the person who asked for the change.",
  },
  used: {
    status: 410,
    message: "This link has already been used. Each confirmation link works once.",
  },
  expired: {
    status: 410,
    message: "This link has expired. Ask for the change again from your profile.",
  },
  taken: {
    status: 409,
    message: "That e-mail address now belongs to another account, so it cannot be yours.",
  },
} as const;

type Me = { record: User };
type FailedForm = PageFormCall<Me, RequestContext>;

/** GET /profile */
export async function showProfile({ res, deps, record: user }: AccountCall<Me>) {
  res.render("profile/show", await profileView(deps, user));
}

/** The profile page again, with the field that failed and what was typed in it. */
function renderWith(field: "name" | "email") {
  return async ({ res, deps, record: user }: FailedForm, failure: FormFailure) => {
    const view = await profileView(deps, user, {
      values: { [field]: failure.values[field] },
      errors: failure.errors,
    });
    res.status(failure.status).render("profile/show", view);
  };
}
export const renderNameFailure = renderWith("name");
export const renderEmailFailure = renderWith("email");

/** POST /profile */
export async function saveName({
  req,
  deps,
  body,
  record: user,
}: AccountCall<Me & { body: typeof nameSchema }>) {
  await updateName(deps.models, req, user, body.name);
  return redirect("/profile", "Your name was saved.", { status: 303 });
}

/** POST /profile/email: a confirmation link goes to the new address; nothing changes yet. */
export async function changeEmail({
  req,
  deps,
  body,
  record: user,
}: AccountCall<Me & { body: typeof emailSchema }>) {
  await requestEmailChange(deps, req, user, body.email);
  return redirect(
    "/profile",
    {
      type: "info",
      message: `We sent a confirmation link to ${body.email}. Your address changes when you open it.`,
    },
    { status: 303 },
  );
}

/** GET /profile/email/confirm: the link from that e-mail. */
export async function confirmEmail({
  req,
  res,
  deps,
  query,
  record: user,
}: AccountCall<Me & { query: typeof confirmSchema }>) {
  const result = query.token
    ? await confirmEmailChange(deps, req, user.id, query.token)
    : ({ ok: false, reason: "invalid" } as const);
  if (result.ok)
    return redirect("/profile", `Your e-mail address is now ${result.to}.`, { status: 303 });
  const failure = confirmFailures[result.reason];
  res.status(failure.status).render("profile/email-confirm", {
    title: "E-mail change",
    message: failure.message,
  });
}

/** POST /profile/notifications */
export async function saveNotifications({
  req,
  deps,
  body,
  record: user,
}: AccountCall<Me & { body: typeof notificationsSchema }>) {
  await updateNotificationPreferences(deps.models, req, user, body);
  return redirect("/profile#notifications", "Notification preferences saved.", { status: 303 });
}
