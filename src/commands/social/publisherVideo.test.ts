import { readFile } from "node:fs/promises";
import sharp from "sharp";
import { buildBusiness, buildUser } from "../../../test/factories";
import { buildSocialAccount } from "../../../test/factoriesSocial";
import { testConfig } from "../../../test/support/config";
import { useTestDatabase } from "../../../test/support/database";
import { contextFor, testDeps } from "../../../test/support/deps";
import { SocialStandIn } from "../../../test/standins/social/server";
import { xUploads } from "../../../test/standins/social/xChunked";
import type { Deps } from "../../deps";
import { AppError } from "../../errors";
import { FakeClock } from "../../lib/clock";
import type { Business, User } from "../../models";
import { presentMedia } from "../../routes/social/present";
import { mediaFile, saveMedia } from "./media";
import { createPost } from "./posts";
import { posterSvg } from "./poster";
import { publishTarget } from "./publisher";

/**
 * Videos in the social publisher: the library makes a poster for each (a play sign, the file's
 * name, type and size — not a frame: no video decoder is installed), and a post with a video goes
 * to X through the chunked upload; the networks whose video upload is not built refuse it up front.
 */
const db = useTestDatabase();
jest.setTimeout(60_000);

const standIn = new SocialStandIn();
beforeAll(() => standIn.start());
afterAll(() => standIn.stop());

/** An MP4 (its ftyp box) of `bytes` bytes: the library reads the type from these first bytes. */
function mp4(bytes: number): Buffer {
  const buffer = Buffer.alloc(bytes, 3);
  buffer.write("\u0000\u0000\u0000\u0018ftypmp42", 0, "latin1");
  return buffer;
}

describe("videos", () => {
  let clock: FakeClock;
  let deps: Deps;
  let business: Business;
  let owner: User;

  beforeEach(async () => {
    clock = new FakeClock("2026-12-10T09:00:00Z");
    standIn.now = () => clock.nowMs();
    deps = { ...testDeps(db.current, { clock }), config: testConfig(standIn.settings()) };
    owner = await buildUser(db.current.models, { planCode: "gold" });
    ({ business } = await buildBusiness(db.current.models, { owner }));
  });

  it("gets a poster in the library: a 320 px PNG naming the file, its type and size", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const media = await saveMedia(deps, ctx, {
      buffer: mp4(3 * 1_048_576 + 200_000),
      originalName: "diwali-workshop.mp4",
    });
    expect(media.mimeType).toBe("video/mp4");
    expect(media.thumbnailPath).toMatch(/-thumb\.png$/);
    const poster = await readFile(mediaFile(deps.config, media.thumbnailPath!));
    expect(await sharp(poster).metadata()).toMatchObject({
      format: "png",
      width: 320,
      height: 320,
    });
    expect(presentMedia(media).thumbUrl).toBe(`/social/media/${media.id}/thumb`);
    const svg = posterSvg(media.originalName, media.mimeType, media.bytes);
    expect(svg).toContain(">diwali-workshop.mp4<");
    expect(svg).toContain(">MP4 video · 3.2 MB<");
    // A name is text on the poster, never markup; a long one keeps its extension.
    const hostile = posterSvg('<script>alert("x")</script>.mov', "video/quicktime", 2048);
    expect(hostile).not.toContain("<script>");
    expect(hostile).toContain("&#60;script&#62;");
    expect(hostile).toContain(">MOV video · 2 KB<");
    expect(posterSvg(`${"long".repeat(20)}.mp4`, "video/mp4", 1)).toMatch(/…\.mp4</);
  });

  it("goes to X in chunks and is published; LinkedIn refuses it before anything is scheduled", async () => {
    const ctx = await contextFor(db.current, business, owner);
    const key = deps.config.secretsKey;
    const x = await buildSocialAccount(db.current.models, business, key, "x", {
      standIn,
      now: clock.now(),
    });
    const li = await buildSocialAccount(db.current.models, business, key, "linkedin", {
      standIn,
      now: clock.now(),
    });
    const media = await saveMedia(deps, ctx, { buffer: mp4(9000), originalName: "clip.mp4" });
    const input = {
      text: "Our Diwali workshop in 30 seconds",
      accountIds: [x.id, li.id],
      variants: {},
      mediaId: media.id,
      templateId: null,
    };
    const refused = await createPost(deps, ctx, input, { kind: "now" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).details?.fields).toMatchObject({
      mediaId: expect.stringMatching(/^LinkedIn .*videos are published to X only so far/),
    });

    const post = await createPost(deps, ctx, { ...input, accountIds: [x.id] }, { kind: "now" });
    const [target] = await db.current.models.SocialPostTarget.findAll({
      where: { postId: post.id },
    });
    await publishTarget(deps, ctx, {
      businessId: business.id,
      userId: null,
      targetId: target!.id,
      attempts: target!.attempts,
      dueAt: target!.nextAttemptAt!.getTime(),
    });
    await target!.reload();
    expect(target!.status).toBe("published");
    const sent = standIn.postsOf("x").find((p) => p.id === target!.externalPostId);
    const upload = xUploads(standIn).get(sent!.media[0]!);
    expect(upload?.steps).toEqual(["INIT", "APPEND 0", "FINALIZE", "STATUS", "STATUS"]);
    expect(upload?.totalBytes).toBe(9000);
  });
});
