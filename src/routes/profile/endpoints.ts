import { routes, type Endpoint } from "../../http/endpoint";
import { showActivity } from "./activityPages";
import {
  deleteAvatar,
  receiveAvatar,
  renderAvatarFailure,
  serveAvatar,
  uploadAvatar,
} from "./avatarPages";
import {
  changeEmail,
  confirmEmail,
  renderEmailFailure,
  renderNameFailure,
  saveName,
  saveNotifications,
  showProfile,
} from "./pages";
import {
  avatarFieldsSchema,
  avatarFileParams,
  confirmSchema,
  emailSchema,
  nameSchema,
  notificationsSchema,
  pageSchema,
  sessionParams,
} from "./schema";
import { revokeOne, revokeOthers, showSessions } from "./sessionsPages";
import { loadMe } from "./view";

const page = routes({ auth: "page" });

/** Profile: name, e-mail change, photo, notifications; plus sessions and "my activity". */
export const profileEndpoints: Endpoint[] = [
  page.get("/profile", "signed-in", { load: loadMe, handler: showProfile }),
  page.post("/profile", "signed-in", {
    load: loadMe,
    body: nameSchema,
    form: { render: renderNameFailure },
    handler: saveName,
  }),
  page.post("/profile/email", "signed-in", {
    load: loadMe,
    body: emailSchema,
    form: { render: renderEmailFailure },
    handler: changeEmail,
  }),
  page.get("/profile/email/confirm", "signed-in", {
    load: loadMe,
    query: confirmSchema,
    handler: confirmEmail,
  }),
  page.post("/profile/notifications", "signed-in", {
    load: loadMe,
    body: notificationsSchema,
    handler: saveNotifications,
  }),
  page.post("/profile/avatar", "signed-in", {
    load: loadMe,
    upload: receiveAvatar,
    body: avatarFieldsSchema,
    form: { render: renderAvatarFailure, shows: ["validation_failed", "payload_too_large"] },
    handler: uploadAvatar,
  }),
  page.post("/profile/avatar/delete", "signed-in", { load: loadMe, handler: deleteAvatar }),
  page.get("/avatars/:file", "signed-in", { params: avatarFileParams, handler: serveAvatar }),
  page.get("/profile/sessions", "signed-in", { handler: showSessions }),
  page.post("/profile/sessions/revoke-others", "signed-in", { handler: revokeOthers }),
  page.post("/profile/sessions/:handle/revoke", "signed-in", {
    params: sessionParams,
    handler: revokeOne,
  }),
  page.get("/profile/activity", "signed-in", { query: pageSchema, handler: showActivity }),
];
