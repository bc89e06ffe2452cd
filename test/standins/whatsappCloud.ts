import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { StatusWebhooks, type StatusName, type WebhookOptions } from "./whatsappCloudWebhooks";
import {
  graphError,
  newWamid,
  peakPerSecond,
  placeholderCount,
  readSend,
  SlidingWindow,
  type AcceptedSend,
  type GraphErrorBody,
  type PlannedFailure,
  type SendBody,
  type StandInNumber,
  type StandInTemplate,
} from "./whatsappCloudRules";

export type { AcceptedSend, StandInNumber, StandInTemplate } from "./whatsappCloudRules";
export type { StatusName } from "./whatsappCloudWebhooks";

/**
 * A local WhatsApp Cloud API (CONTRACTS.md "WhatsApp Cloud API") for tests, the demo and the
 * benchmark. It speaks the real protocol: Bearer token per phone number (190 otherwise), the send
 * body's shape (100), the template approved in that exact language (132001) with exactly its
 * parameter count (132000), a sliding one-second window per number at its tier (130429), an
 * optional pair rate per recipient (131056); it assigns wamids, records every accepted send, and
 * sends status webhooks signed like Meta's (X-Hub-Signature-256) — duplicated and shuffled on
 * request. The app reaches it only through WHATSAPP_GRAPH_BASE_URL.
 */
export interface StandInOptions {
  /** Where status webhooks go (the app's /webhooks/whatsapp) and the app secret that signs them. */
  webhookUrl?: string;
  appSecret?: string;
  /** Statuses each accepted send produces, in order (default sent, delivered). */
  statusFlow?: StatusName[];
  /** Post statuses as sends are accepted; otherwise they wait for deliverStatuses(). */
  autoDeliver?: boolean;
  /** Minimum ms between two accepted sends to one recipient from one number (0: off; Meta ≈ 6000). */
  pairRateMs?: number;
  /** Added to every answer, to look like a remote API. */
  latencyMs?: number;
  /** The stand-in's clock (ms); real time by default. */
  now?: () => number;
}

export interface StandInCounts {
  accepted: number;
  throughputErrors: number;
  pairRateErrors: number;
  authErrors: number;
  templateErrors: number;
  otherErrors: number;
  /** Recipients that got more than one accepted send. */
  duplicateRecipients: number;
  /** The most accepted sends any one-second window held, per number. */
  peakPerSecond: Record<string, number>;
}

export class WhatsAppCloudStandIn {
  readonly numbers = new Map<string, StandInNumber>();
  readonly templates = new Map<string, StandInTemplate>();
  /** Every accepted send, in the order accepted. */
  readonly sends: AcceptedSend[] = [];
  readonly webhooks: StatusWebhooks;
  url = "";
  private readonly windows = new Map<string, SlidingWindow>();
  private readonly lastToRecipient = new Map<string, number>();
  private readonly failures = new Map<string, PlannedFailure>();
  private readonly nextErrors: GraphErrorBody[] = [];
  private readonly perRecipient = new Map<string, number>();
  /** Send requests that reached the stand-in per recipient, whatever the answer. */
  private readonly requestedTo = new Map<string, number>();
  private readonly errorCounts = { throughput: 0, pair: 0, auth: 0, template: 0, other: 0 };
  private server: Server | null = null;
  private templateSeq = 1000;

  constructor(readonly options: StandInOptions = {}) {
    this.webhooks = new StatusWebhooks(options as WebhookOptions, () => this.now());
  }

  now(): number {
    return this.options.now ? this.options.now() : Date.now();
  }

  /** Listens on `port` (0: any free one); `extra` may answer a request first (control routes). */
  async start(
    port = 0,
    extra?: (req: IncomingMessage, res: ServerResponse) => boolean,
  ): Promise<this> {
    this.server = createServer((req, res) => {
      if (extra?.(req, res)) return;
      this.route(req, res).catch((error: unknown) => send(res, 500, { error: String(error) }));
    });
    this.server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve) => this.server?.listen(port, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await this.webhooks.idle();
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** A business phone number: its token, its WABA and its throughput tier. */
  addNumber(input: Partial<StandInNumber> & { phoneNumberId: string; token: string }): this {
    this.numbers.set(input.phoneNumberId, {
      wabaId: `waba-${input.phoneNumberId}`,
      tier: 80,
      displayPhoneNumber: "+91 98765 43210",
      verifiedName: "Stand-in Business",
      ...input,
    });
    return this;
  }

  /** A template as if submitted and decided: APPROVED by default, its parameter count from body. */
  addTemplate(input: {
    wabaId: string;
    name: string;
    language: string;
    body?: string;
    paramCount?: number;
    status?: StandInTemplate["status"];
  }): StandInTemplate {
    const template: StandInTemplate = {
      id: String((this.templateSeq += 1)),
      wabaId: input.wabaId,
      name: input.name,
      language: input.language,
      category: "MARKETING",
      status: input.status ?? "APPROVED",
      paramCount: input.paramCount ?? placeholderCount(input.body ?? ""),
      rejectedReason: "NONE",
      components: [{ type: "BODY", text: input.body ?? "" }],
    };
    this.templates.set(templateKey(input.wabaId, input.name, input.language), template);
    return template;
  }

  /** Approve or reject a submitted template; with `notify`, Meta's status-update webhook too. */
  async decideTemplate(
    wabaId: string,
    name: string,
    language: string,
    decision: { status: "APPROVED" | "REJECTED"; reason?: string; notify?: boolean },
  ): Promise<StandInTemplate> {
    const template = this.templates.get(templateKey(wabaId, name, language));
    if (!template) throw new Error(`stand-in: no template ${name}/${language} in ${wabaId}`);
    template.status = decision.status;
    template.rejectedReason =
      decision.status === "REJECTED" ? (decision.reason ?? "OTHER") : "NONE";
    if (decision.notify) await this.webhooks.templateStatus(template);
    return template;
  }

  /** Fail sends to `to` with `code` (in the reply, or accepted then a `failed` webhook). */
  failRecipient(to: string, code: number, via: "reply" | "webhook" = "reply", times = Infinity) {
    this.failures.set(to.replace(/^\+/, ""), { code, via, times });
  }

  /** The next answers (any number) fail with these Graph errors, in order. */
  failNext(...errors: Array<{ code: number; status?: number }>): void {
    for (const e of errors) this.nextErrors.push(graphError(e.code, e.status ?? 400));
  }

  /** Send requests to one recipient that reached the stand-in, accepted or refused. */
  requestsTo(to: string): number {
    return this.requestedTo.get(to.replace(/^\+/, "")) ?? 0;
  }

  /** Accepted sends to one recipient. */
  sendsTo(to: string): number {
    return this.perRecipient.get(to.replace(/^\+/, "")) ?? 0;
  }

  counts(): StandInCounts {
    const peaks: Record<string, number> = {};
    const byNumber = new Map<string, number[]>();
    for (const s of this.sends) {
      const list = byNumber.get(s.phoneNumberId) ?? [];
      list.push(s.at);
      byNumber.set(s.phoneNumberId, list);
    }
    for (const [id, times] of byNumber) peaks[id] = peakPerSecond(times);
    return {
      accepted: this.sends.length,
      throughputErrors: this.errorCounts.throughput,
      pairRateErrors: this.errorCounts.pair,
      authErrors: this.errorCounts.auth,
      templateErrors: this.errorCounts.template,
      otherErrors: this.errorCounts.other,
      duplicateRecipients: [...this.perRecipient.values()].filter((n) => n > 1).length,
      peakPerSecond: peaks,
    };
  }

  /** A customer writes to a business number: the signed inbound `messages` webhook. */
  inbound(phoneNumberId: string, from: string, text: string, profileName?: string) {
    const number = this.numbers.get(phoneNumberId);
    if (!number) throw new Error(`stand-in: no number ${phoneNumberId}`);
    return this.webhooks.inbound(number, from, text, profileName);
  }

  /** Post every queued status webhook (see StatusWebhooks.deliver for duplicates and shuffling). */
  deliverStatuses(options: { duplicates?: number; shuffle?: boolean; concurrency?: number } = {}) {
    return this.webhooks.deliver(options);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    if (this.options.latencyMs) await sleep(this.options.latencyMs);
    const url = new URL(req.url ?? "/", "http://stand-in");
    const parts = url.pathname.split("/").filter(Boolean);
    if (parts[0] !== "v20.0" && !/^v2\d\.0$/.test(parts[0] ?? ""))
      return send(res, 404, { error: { message: "Unknown path", code: 100 } });
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1] ?? "";
    const [id, edge] = [parts[1] ?? "", parts[2]];
    const forced = this.nextErrors.shift();
    if (forced) return this.error(res, forced);

    if (!edge && req.method === "GET") return this.phoneNumber(res, id, token);
    if (edge === "messages" && req.method === "POST") return this.message(res, id, token, raw);
    if (edge === "message_templates") {
      if (!this.wabaToken(id, token)) return this.error(res, graphError(190, 401));
      if (req.method === "POST") return this.submitTemplate(res, id, raw);
      if (req.method === "GET") return this.listTemplates(res, id, url.searchParams.get("name"));
    }
    return send(res, 404, { error: { message: "Unknown path", code: 100 } });
  }

  private phoneNumber(res: ServerResponse, id: string, token: string): void {
    const number = this.numbers.get(id);
    if (!number || number.token !== token) return this.error(res, graphError(190, 401));
    send(res, 200, {
      id: number.phoneNumberId,
      display_phone_number: number.displayPhoneNumber,
      verified_name: number.verifiedName,
      quality_rating: "GREEN",
    });
  }

  private message(res: ServerResponse, id: string, token: string, raw: string): void {
    const number = this.numbers.get(id);
    if (!number || number.token !== token) return this.error(res, graphError(190, 401));
    let body: SendBody;
    try {
      body = JSON.parse(raw) as SendBody;
    } catch {
      return this.error(res, graphError(100, 400, "the body is not JSON"));
    }
    const input = readSend(body);
    if ("code" in input) return this.error(res, input);
    this.requestedTo.set(input.to, (this.requestedTo.get(input.to) ?? 0) + 1);
    const template = this.templates.get(templateKey(number.wabaId, input.name, input.language));
    if (!template || template.status !== "APPROVED")
      return this.error(res, graphError(132001, 404, `${input.name} (${input.language})`));
    if (template.paramCount !== input.params.length)
      return this.error(
        res,
        graphError(132000, 400, `expected ${template.paramCount}, got ${input.params.length}`),
      );
    const failure = this.failures.get(input.to);
    if (failure && failure.via === "reply" && failure.times > 0) {
      failure.times -= 1;
      return this.error(res, graphError(failure.code, 400));
    }
    const now = this.now();
    const pairKey = `${id}|${input.to}`;
    const pairMs = this.options.pairRateMs ?? 0;
    const last = this.lastToRecipient.get(pairKey);
    if (pairMs > 0 && last !== undefined && now - last < pairMs)
      return this.error(res, graphError(131056, 400));
    const window = this.windows.get(id) ?? new SlidingWindow();
    this.windows.set(id, window);
    if (!window.tryTake(now, number.tier)) return this.error(res, graphError(130429, 400));

    const wamid = newWamid();
    this.lastToRecipient.set(pairKey, now);
    this.perRecipient.set(input.to, (this.perRecipient.get(input.to) ?? 0) + 1);
    this.sends.push({
      wamid,
      phoneNumberId: id,
      to: input.to,
      template: input.name,
      language: input.language,
      params: input.params,
      at: now,
    });
    const failLater = failure && failure.via === "webhook" && failure.times > 0;
    if (failLater) failure.times -= 1;
    this.webhooks.queueFor(number, wamid, input.to, failLater ? failure.code : null);
    send(res, 200, {
      messaging_product: "whatsapp",
      contacts: [{ input: body.to, wa_id: input.to }],
      messages: [{ id: wamid }],
    });
  }

  private wabaToken(wabaId: string, token: string): boolean {
    return [...this.numbers.values()].some((n) => n.wabaId === wabaId && n.token === token);
  }

  private submitTemplate(res: ServerResponse, wabaId: string, raw: string): void {
    let body: { name?: unknown; language?: unknown; category?: unknown; components?: unknown };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      return this.error(res, graphError(100, 400, "the body is not JSON"));
    }
    const components = Array.isArray(body.components) ? (body.components as unknown[]) : [];
    const bodyPart = components.find(
      (c): c is { type: string; text: string } =>
        typeof c === "object" && c !== null && (c as { type?: unknown }).type === "BODY",
    );
    if (typeof body.name !== "string" || !/^[a-z0-9_]{1,512}$/.test(body.name))
      return this.error(res, graphError(100, 400, "name: lowercase letters, digits and _"));
    if (typeof body.language !== "string" || typeof body.category !== "string" || !bodyPart)
      return this.error(res, graphError(100, 400, "language, category and a BODY are required"));
    const key = templateKey(wabaId, body.name, body.language);
    if (this.templates.has(key))
      return this.error(res, graphError(100, 400, "a template with that name and language exists"));
    const template = this.addTemplate({
      wabaId,
      name: body.name,
      language: body.language,
      body: bodyPart.text,
      status: "PENDING",
    });
    template.category = body.category;
    template.components = components;
    send(res, 200, { id: template.id, status: template.status, category: template.category });
  }

  private listTemplates(res: ServerResponse, wabaId: string, name: string | null): void {
    const data = [...this.templates.values()]
      .filter((t) => t.wabaId === wabaId && (!name || t.name.startsWith(name)))
      .map((t) => ({
        id: t.id,
        name: t.name,
        language: t.language,
        status: t.status,
        category: t.category,
        rejected_reason: t.rejectedReason,
        components: t.components,
      }));
    send(res, 200, { data, paging: { cursors: { before: "", after: "" } } });
  }

  private error(res: ServerResponse, error: GraphErrorBody): void {
    const code = error.code;
    if (code === 130429) this.errorCounts.throughput += 1;
    else if (code === 131056) this.errorCounts.pair += 1;
    else if (code === 190) this.errorCounts.auth += 1;
    else if (code === 132000 || code === 132001) this.errorCounts.template += 1;
    else this.errorCounts.other += 1;
    send(res, error.status, {
      error: {
        message: error.message,
        type: "OAuthException",
        code,
        error_data: { messaging_product: "whatsapp", details: error.details ?? error.message },
        fbtrace_id: `Atrace${this.sends.length}`,
      },
    });
  }
}

const templateKey = (wabaId: string, name: string, language: string) =>
  `${wabaId}|${name}|${language}`;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
