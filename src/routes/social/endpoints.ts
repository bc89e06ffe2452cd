import { routes, type Endpoint } from "../../http/endpoint";
import { showCalendar } from "./calendarPages";
import { create, renderPostFailure, showEdit, showNew, update } from "./formPages";
import {
  loadMedia,
  receiveMedia,
  removeMedia,
  renderUploadFailure,
  sendMedia,
  sendPublicMedia,
  sendThumb,
  showLibrary,
  upload,
} from "./mediaPages";
import {
  confirmDelete,
  duplicate,
  loadPost,
  markPublished,
  remove,
  renderListFailure,
  reschedule,
  retry,
  retryOne,
  showPost,
  showPosts,
} from "./postPages";
import {
  calendarQuery,
  mediaParams,
  newPostQuery,
  postFormFor,
  postListQuery,
  postParams,
  publicMediaParams,
  rescheduleFor,
  targetParams,
  templateParams,
} from "./schema";
import { showTemplates, useTemplate } from "./templatePages";

const page = routes({ auth: "page", feature: "social" });
const visitor = routes({ auth: "public" });
const shows = ["validation_failed", "conflict", "forbidden"] as const;
/** A post's form also shows the plan gate's refusal (an account read-only beyond the plan). */
const postShows = [...shows, "plan_limit"] as const;
const one = { params: postParams, load: loadPost };
const oneTarget = { params: targetParams, load: loadPost };
const oneMedia = { params: mediaParams, load: loadMedia };
const backToPost = {
  // A move or retry through an account read-only beyond the plan comes back as a flash too.
  shows: postShows,
  back: ({ params }: { params: { postId: number } }) => `/social/posts/${params.postId}`,
};

/** The social publisher (issue 14): posts, calendar, templates, media library. */
export const socialEndpoints: Endpoint[] = [
  page.get("/social", "campaigns.manage", {
    query: postListQuery,
    form: { render: renderListFailure },
    handler: showPosts,
  }),
  page.get("/social/posts/new", "campaigns.manage", { query: newPostQuery, handler: showNew }),
  page.post("/social/posts", "campaigns.manage", {
    body: postFormFor,
    form: { render: renderPostFailure, shows: postShows },
    handler: create,
  }),
  page.get("/social/posts/:postId", "campaigns.manage", { ...one, handler: showPost }),
  page.get("/social/posts/:postId/edit", "campaigns.manage", { ...one, handler: showEdit }),
  page.post("/social/posts/:postId", "campaigns.manage", {
    ...one,
    body: postFormFor,
    form: { render: renderPostFailure, shows: postShows },
    handler: update,
  }),
  page.post("/social/posts/:postId/duplicate", "campaigns.manage", {
    ...one,
    form: backToPost,
    handler: duplicate,
  }),
  page.get("/social/posts/:postId/delete", "campaigns.manage", { ...one, handler: confirmDelete }),
  page.post("/social/posts/:postId/delete", "campaigns.manage", {
    ...one,
    form: backToPost,
    handler: remove,
  }),
  page.post("/social/posts/:postId/retry", "campaigns.manage", {
    ...one,
    form: backToPost,
    handler: retry,
  }),
  page.post("/social/posts/:postId/reschedule", "campaigns.manage", {
    ...one,
    body: rescheduleFor,
    form: backToPost,
    handler: reschedule,
  }),
  page.post("/social/posts/:postId/targets/:targetId/retry", "campaigns.manage", {
    ...oneTarget,
    form: backToPost,
    handler: retryOne,
  }),
  page.post("/social/posts/:postId/targets/:targetId/published", "campaigns.manage", {
    ...oneTarget,
    form: backToPost,
    handler: markPublished,
  }),
  page.get("/social/calendar", "campaigns.manage", { query: calendarQuery, handler: showCalendar }),
  page.get("/social/templates", "campaigns.manage", { handler: showTemplates }),
  page.post("/social/templates/:code/use", "campaigns.manage", {
    params: templateParams,
    form: { shows, back: () => "/social/templates" },
    handler: useTemplate,
  }),
  page.get("/social/media", "campaigns.manage", { handler: showLibrary }),
  page.post("/social/media", "campaigns.manage", {
    upload: receiveMedia,
    form: { render: renderUploadFailure, shows: [...shows, "payload_too_large"] },
    handler: upload,
  }),
  page.get("/social/media/:mediaId/file", "campaigns.manage", { ...oneMedia, handler: sendMedia }),
  page.get("/social/media/:mediaId/thumb", "campaigns.manage", { ...oneMedia, handler: sendThumb }),
  page.post("/social/media/:mediaId/delete", "campaigns.manage", {
    ...oneMedia,
    form: { shows, back: () => "/social/media" },
    handler: removeMedia,
  }),
  visitor.get("/m/social/:key", "anyone", {
    params: publicMediaParams,
    rateLimit: false,
    handler: sendPublicMedia,
  }),
];
