import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WhatsAppCloudStandIn } from "../../../test/standins/whatsappCloud";
import { createWhatsAppClient, type WhatsAppApi } from "./client";
import { classifyError } from "./errors";
import { whatsAppSignatureValid } from "./signature";

/** The client against the stand-in, which speaks the Cloud API's protocol and errors. */
describe("WhatsApp Cloud API client", () => {
  let standIn: WhatsAppCloudStandIn;
  let api: WhatsAppApi;
  let clock = 1_000_000;
  const phone = "1061234567";
  const token = "EAAG-token-1";

  beforeEach(async () => {
    clock = 1_000_000;
    standIn = await new WhatsAppCloudStandIn({ now: () => clock }).start();
    standIn.addNumber({ phoneNumberId: phone, wabaId: "waba-1", token, tier: 3 });
    standIn.addTemplate({
      wabaId: "waba-1",
      name: "offer",
      language: "en",
      body: "Hi {{1}}, {{2}}",
    });
    api = createWhatsAppClient({ baseUrl: standIn.url });
  });

  afterEach(() => standIn.stop());

  const send = (to = "+919876543210", params = ["Asha", "10% off"], language = "en") =>
    api.sendTemplate(phone, token, to, "offer", language, params);

  it("sends an approved template and answers its wamid; the stand-in records the send", async () => {
    const result = await send();
    expect(result).toEqual({ ok: true, wamid: expect.stringMatching(/^wamid\./) as string });
    expect(standIn.sends).toEqual([
      expect.objectContaining({
        to: "919876543210",
        template: "offer",
        params: ["Asha", "10% off"],
      }),
    ]);
    expect(standIn.sendsTo("+919876543210")).toBe(1);
  });

  it("classifies a bad token as auth (190), not retryable", async () => {
    const result = await api.sendTemplate(phone, "wrong", "919876543210", "offer", "en", [
      "a",
      "b",
    ]);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 190, kind: "auth", retryable: false },
    });
    expect(standIn.sends).toHaveLength(0);
  });

  it("classifies a language without an approved translation (132001) and a wrong parameter count (132000) as permanent", async () => {
    expect(await send(undefined, undefined, "en_US")).toMatchObject({
      ok: false,
      error: { code: 132001, kind: "permanent", retryable: false },
    });
    expect(await send(undefined, ["only one"])).toMatchObject({
      ok: false,
      error: { code: 132000, kind: "permanent", retryable: false },
    });
  });

  it("answers 130429 once a one-second window holds the tier, and accepts again a second later", async () => {
    for (const to of ["911", "912", "913"].map((p) => `${p}0000000`))
      expect((await send(to)).ok).toBe(true);
    expect(await send("9140000000")).toMatchObject({
      ok: false,
      error: { code: 130429, kind: "throughput", retryable: true },
    });
    clock += 1000;
    expect((await send("9140000000")).ok).toBe(true);
    expect(standIn.counts()).toMatchObject({ accepted: 4, throughputErrors: 1 });
  });

  it("answers 131056 for a second message to one recipient within the pair rate", async () => {
    await standIn.stop();
    standIn = await new WhatsAppCloudStandIn({ now: () => clock, pairRateMs: 6000 }).start();
    standIn.addNumber({ phoneNumberId: phone, wabaId: "waba-1", token, tier: 80 });
    standIn.addTemplate({ wabaId: "waba-1", name: "offer", language: "en", paramCount: 2 });
    api = createWhatsAppClient({ baseUrl: standIn.url });
    expect((await send()).ok).toBe(true);
    expect(await send()).toMatchObject({
      ok: false,
      error: { code: 131056, kind: "pair_rate", retryable: true },
    });
    clock += 6000;
    expect((await send()).ok).toBe(true);
  });

  it.each([131026, 131047, 131048, 131049, 131008, 131009, 100])(
    "classifies %i for a recipient as permanent",
    async (code) => {
      standIn.failRecipient("919800000001", code);
      expect(await send("+919800000001")).toMatchObject({
        ok: false,
        error: { code, kind: "permanent", retryable: false },
      });
    },
  );

  it("classifies 131000, a 5xx without a known code and a 429 as transient and retryable", async () => {
    standIn.failNext({ code: 131000 }, { code: 1, status: 500 }, { code: 4, status: 429 });
    for (const code of [131000, 1, 4])
      expect(await send()).toMatchObject({
        ok: false,
        error: { code, kind: "transient", retryable: true },
      });
    expect((await send()).ok).toBe(true);
  });

  it("classifies 130429 by its code whatever the HTTP status", () => {
    expect(classifyError(130429, "x", 429).kind).toBe("throughput");
    expect(classifyError(130429, "x", 400).kind).toBe("throughput");
  });

  it("reports a network failure as transient (code 0)", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const offline = createWhatsAppClient({ baseUrl: `http://127.0.0.1:${port}` });
    const result = await offline.sendTemplate(phone, token, "919876543210", "offer", "en", []);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 0, kind: "transient", retryable: true },
    });
  });

  it("gives up after its timeout: transient, code 0, saying timeout (the sender marks it unknown)", async () => {
    standIn.options.latencyMs = 400;
    const impatient = createWhatsAppClient({ baseUrl: standIn.url, timeoutMs: 50 });
    const result = await impatient.sendTemplate(phone, token, "919876543210", "offer", "en", [
      "a",
      "b",
    ]);
    standIn.options.latencyMs = 0;
    expect(result).toMatchObject({
      ok: false,
      error: { code: 0, kind: "transient", retryable: true },
    });
    expect(!result.ok && result.error.message).toMatch(/timeout/);
  });

  it("reads the phone number's details with its token, and refuses another token", async () => {
    expect(await api.getPhoneNumber(phone, token)).toMatchObject({
      ok: true,
      info: { id: phone, verifiedName: "Stand-in Business" },
    });
    expect(await api.getPhoneNumber(phone, "nope")).toMatchObject({
      ok: false,
      error: { code: 190, kind: "auth" },
    });
  });

  it("submits a template (pending) and reads its status after approval or rejection", async () => {
    const submitted = await api.submitTemplate("waba-1", token, {
      name: "welcome",
      language: "en_US",
      category: "MARKETING",
      components: [{ type: "BODY", text: "Welcome {{1}}", example: { body_text: [["Asha"]] } }],
    });
    expect(submitted).toMatchObject({ ok: true, status: "PENDING" });
    expect(await api.fetchTemplateStatus("waba-1", token, "welcome", "en_US")).toMatchObject({
      ok: true,
      template: { status: "PENDING", rejectedReason: null },
    });
    expect(await api.fetchTemplateStatus("waba-1", token, "welcome", "en")).toEqual({
      ok: true,
      template: null,
    });
    await standIn.decideTemplate("waba-1", "welcome", "en_US", {
      status: "REJECTED",
      reason: "INVALID_FORMAT",
    });
    expect(await api.fetchTemplateStatus("waba-1", token, "welcome", "en_US")).toMatchObject({
      ok: true,
      template: { status: "REJECTED", rejectedReason: "INVALID_FORMAT" },
    });
    expect(
      await api.submitTemplate("waba-1", "bad", {
        name: "x",
        language: "en",
        category: "MARKETING",
        components: [],
      }),
    ).toMatchObject({ ok: false, error: { code: 190 } });
  });

  describe("status webhooks", () => {
    let receiver: Server;
    const received: Array<{ body: string; signature: string | undefined }> = [];

    beforeEach(async () => {
      received.length = 0;
      receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
          const signature = req.headers["x-hub-signature-256"];
          received.push({
            body: Buffer.concat(chunks).toString("utf8"),
            signature: signature as string,
          });
          res.end("ok");
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
      standIn.webhooks.webhookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
      standIn.webhooks.appSecret = "app-secret";
    });

    afterEach(() => new Promise<void>((resolve) => receiver.close(() => resolve())));

    it("signs every status with the app secret, and duplicates them on request", async () => {
      const first = await send("911000000001");
      standIn.failRecipient("911000000002", 131026, "webhook");
      const second = await send("911000000002");
      expect(first.ok && second.ok).toBe(true);
      const outcome = await standIn.deliverStatuses({ duplicates: 3, shuffle: true });
      expect(outcome).toEqual({ posted: 9, refused: 0 });
      expect(received).toHaveLength(9);
      for (const r of received)
        expect(whatsAppSignatureValid("app-secret", Buffer.from(r.body), r.signature)).toBe(true);
      const statuses = received.map((r) => {
        const body = JSON.parse(r.body) as {
          entry: Array<{
            changes: Array<{
              value: {
                statuses: Array<{ id: string; status: string; errors?: Array<{ code: number }> }>;
              };
            }>;
          }>;
        };
        return body.entry[0]?.changes[0]?.value.statuses[0];
      });
      const failed = statuses.filter((s) => s?.status === "failed");
      expect(failed).toHaveLength(3);
      expect(failed[0]?.errors?.[0]?.code).toBe(131026);
      expect(statuses.filter((s) => s?.status === "delivered")).toHaveLength(3);
    });
  });
});
