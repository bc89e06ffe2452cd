import { testConfig } from "../../../test/support/config";
import { SocialStandIn } from "../../../test/standins/social/server";
import { xUploads } from "../../../test/standins/social/xChunked";
import { socialClient, SocialError, type AccountCredentials } from ".";
import { xChunkBytes } from "./xMedia";

/**
 * X video: the chunked upload (INIT → APPEND per segment → FINALIZE → STATUS while processing)
 * against the stand-in, which refuses every step out of its place; then the post with its id.
 */
let standIn: SocialStandIn;
let config: ReturnType<typeof testConfig>;
jest.setTimeout(30_000);

beforeAll(async () => {
  standIn = await new SocialStandIn().start();
  config = testConfig(standIn.settings());
});
afterAll(() => standIn.stop());

const userId = "1700000077";
const account = (): AccountCredentials => ({
  network: "x",
  externalId: userId,
  accessToken: standIn.issueToken("x", userId),
  tokenExpiresAt: null,
});

/** An MP4 header and enough bytes for three segments (4 MB, 4 MB and the rest). */
function video(bytes = 2 * xChunkBytes + 12_345): Buffer {
  const buffer = Buffer.alloc(bytes, 7);
  buffer.write("\u0000\u0000\u0000\u0018ftypmp42", 0, "latin1");
  return buffer;
}
const asMedia = (bytes: Buffer) => ({
  bytes,
  mimeType: "video/mp4",
  publicUrl: "https://cdn.example.test/v.mp4",
});

describe("X chunked video upload", () => {
  it("uploads in order, waits out processing, and posts with the media id", async () => {
    standIn.xVideo = { checks: 2, fails: false };
    const bytes = video();
    const result = await socialClient(config, "x").publish(account(), {
      text: "Our Diwali workshop, in 30 seconds",
      image: asMedia(bytes),
    });
    const posted = standIn.postsOf("x").find((p) => p.id === result.externalPostId);
    expect(posted?.media).toHaveLength(1);
    const upload = xUploads(standIn).get(posted!.media[0]!);
    expect(upload?.steps).toEqual([
      "INIT",
      "APPEND 0",
      "APPEND 1",
      "APPEND 2",
      "FINALIZE",
      "STATUS",
      "STATUS",
    ]);
    expect(upload?.segments.map((s) => s.length)).toEqual([xChunkBytes, xChunkBytes, 12_345]);
    expect(Buffer.concat(upload!.segments).equals(bytes)).toBe(true);
    expect(upload?.state).toBe("succeeded");
  });

  it("explains a video X could not process, and posts nothing", async () => {
    standIn.xVideo = { checks: 1, fails: true };
    const before = standIn.postsOf("x").length;
    const error = await socialClient(config, "x")
      .publish(account(), { text: "This video is broken", image: asMedia(video(1000)) })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(SocialError);
    expect(error).toMatchObject({
      cause: "media",
      retryable: false,
      message: "X could not process the video: Unsupported video format.",
    });
    expect((error as SocialError).fix).toMatch(/MP4/);
    expect(standIn.postsOf("x")).toHaveLength(before);
    standIn.xVideo = { checks: 2, fails: false };
  });

  it("the stand-in refuses each step out of its place", async () => {
    const token = account().accessToken;
    const url = `${standIn.baseUrl("x")}/2/media/upload`;
    const send = (fields: Record<string, string>, chunk?: Buffer) => {
      const form = new FormData();
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      if (chunk) form.append("media", new Blob([new Uint8Array(chunk)]), "chunk");
      return fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${token}` },
        body: form,
      });
    };
    const status = (id: string) =>
      fetch(`${url}?command=STATUS&media_id=${id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
    const detail = async (r: Response) => ((await r.json()) as { detail: string }).detail;

    // APPEND to a session never started.
    expect(
      (await send({ command: "APPEND", media_id: "999", segment_index: "0" }, video(10))).status,
    ).toBe(400);
    // A picture type, or no category, at INIT.
    expect(
      (
        await send({
          command: "INIT",
          media_type: "image/png",
          total_bytes: "10",
          media_category: "tweet_video",
        })
      ).status,
    ).toBe(400);
    expect(
      (await send({ command: "INIT", media_type: "video/mp4", total_bytes: "10" })).status,
    ).toBe(400);

    const init = await send({
      command: "INIT",
      media_type: "video/mp4",
      total_bytes: "20",
      media_category: "tweet_video",
    });
    const id = ((await init.json()) as { data: { id: string } }).data.id;
    // STATUS before FINALIZE; a segment out of order; FINALIZE short of the announced size.
    expect(await detail(await status(id))).toBe("STATUS before FINALIZE.");
    expect(
      await detail(await send({ command: "APPEND", media_id: id, segment_index: "1" }, video(10))),
    ).toMatch(/out of order/);
    expect(
      (await send({ command: "APPEND", media_id: id, segment_index: "0" }, video(10))).status,
    ).toBe(204);
    expect(await detail(await send({ command: "FINALIZE", media_id: id }))).toBe(
      "Segments do not add up to provided total file size.",
    );
    expect(
      (await send({ command: "APPEND", media_id: id, segment_index: "1" }, video(10))).status,
    ).toBe(204);
    expect((await send({ command: "FINALIZE", media_id: id })).status).toBe(200);
    // Not processed yet: no post may use it; APPEND after FINALIZE is refused.
    const early = await fetch(`${standIn.baseUrl("x")}/2/tweets`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ text: "too early", media: { media_ids: [id] } }),
    });
    expect(await detail(early)).toMatch(/not ready/);
    expect(
      await detail(await send({ command: "APPEND", media_id: id, segment_index: "2" }, video(10))),
    ).toBe("APPEND after FINALIZE.");
  });
});
