import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local Razorpay for tests (CONTRACTS.md "Razorpay"): orders over REST with HTTP Basic auth and
 * Razorpay's error shape, a checkout.js whose `open()` goes to a fake checkout page that "pays" or
 * fails and posts back to the merchant's callback (redirect mode), and webhooks signed with a real
 * HMAC of the raw body — kept, so a test can replay, reorder or corrupt them. The app reaches it
 * only through configuration (RAZORPAY_API_URL, RAZORPAY_CHECKOUT_URL).
 */
export interface SentEvent {
  eventId: string;
  event: string;
  body: string;
  signature: string;
}

interface Order {
  id: string;
  amount: number;
  currency: string;
  receipt: string;
  status: "created" | "attempted" | "paid";
  attempts: number;
  notes: Record<string, string>;
}

export type EventSender = (event: SentEvent) => Promise<number>;

const id = (prefix: string) => `${prefix}_${randomBytes(7).toString("hex")}`;
const hmac = (secret: string, data: string) =>
  createHmac("sha256", secret).update(data).digest("hex");
const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export class RazorpayStandIn {
  readonly keyId = `rzp_test_${randomBytes(6).toString("hex")}`;
  readonly keySecret = randomBytes(16).toString("hex");
  readonly webhookSecret = randomBytes(16).toString("hex");
  readonly orders = new Map<string, Order>();
  /** Every webhook the stand-in signed, in the order it made them. */
  readonly events: SentEvent[] = [];
  /** Whether pay/fail send their webhooks at once (else a test sends them with `deliver`). */
  autoDeliver = false;
  /** Where webhooks go: POST to `webhookUrl` unless a test plugs in its own sender (supertest). */
  webhookUrl: string | null = null;
  sender: EventSender | null = null;
  private server: Server | null = null;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        res.statusCode = 500;
        res.end(String(error));
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  /** The app's settings pointing at this stand-in. */
  config(): Record<string, string> {
    return {
      RAZORPAY_KEY_ID: this.keyId,
      RAZORPAY_KEY_SECRET: this.keySecret,
      RAZORPAY_WEBHOOK_SECRET: this.webhookSecret,
      RAZORPAY_API_URL: this.url,
      RAZORPAY_CHECKOUT_URL: `${this.url}/v1/checkout.js`,
    };
  }

  /** What Checkout hands the merchant for a successful payment. */
  checkoutSignature(orderId: string, paymentId: string): string {
    return hmac(this.keySecret, `${orderId}|${paymentId}`);
  }

  /** A successful payment of the order: payment.captured and order.paid are signed (and sent). */
  async pay(orderId: string): Promise<{ paymentId: string; signature: string }> {
    const order = this.order(orderId);
    const paymentId = id("pay");
    order.status = "paid";
    order.attempts += 1;
    const payment = this.paymentEntity(order, paymentId, "captured");
    await this.emit("payment.captured", { payment: { entity: payment } }, ["payment"]);
    await this.emit(
      "order.paid",
      {
        payment: { entity: payment },
        order: { entity: { ...order, amount_paid: order.amount, amount_due: 0 } },
      },
      ["payment", "order"],
    );
    return { paymentId, signature: this.checkoutSignature(orderId, paymentId) };
  }

  /** A failed attempt on the order: payment.failed is signed (and sent). */
  async fail(orderId: string, description = "Your card was declined."): Promise<string> {
    const order = this.order(orderId);
    const paymentId = id("pay");
    order.status = "attempted";
    order.attempts += 1;
    const payment = {
      ...this.paymentEntity(order, paymentId, "failed"),
      error_code: "BAD_REQUEST_ERROR",
      error_description: description,
      error_reason: "payment_failed",
    };
    await this.emit("payment.failed", { payment: { entity: payment } }, ["payment"]);
    return paymentId;
  }

  /** A processed refund of a payment (refund.processed). */
  async refund(paymentId: string, amount: number): Promise<string> {
    const refundId = id("rfnd");
    await this.emit(
      "refund.processed",
      {
        refund: {
          entity: {
            id: refundId,
            entity: "refund",
            payment_id: paymentId,
            amount,
            status: "processed",
          },
        },
      },
      ["refund"],
    );
    return refundId;
  }

  /** Sends one event (again: a replay carries the same event id, as Razorpay's retries do). */
  async deliver(event: SentEvent, options: { signature?: string | null } = {}): Promise<number> {
    const signed =
      options.signature === undefined ? event : { ...event, signature: options.signature ?? "" };
    if (this.sender) return this.sender(signed);
    if (!this.webhookUrl) throw new Error("razorpay stand-in: no webhookUrl or sender");
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "x-razorpay-event-id": event.eventId,
    };
    if (signed.signature) headers["x-razorpay-signature"] = signed.signature;
    const response = await fetch(this.webhookUrl, { method: "POST", headers, body: event.body });
    return response.status;
  }

  eventsOf(name: string): SentEvent[] {
    return this.events.filter((e) => e.event === name);
  }

  private order(orderId: string): Order {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`razorpay stand-in: no order ${orderId}`);
    return order;
  }

  private paymentEntity(order: Order, paymentId: string, status: string) {
    return {
      id: paymentId,
      entity: "payment",
      amount: order.amount,
      currency: order.currency,
      status,
      order_id: order.id,
      method: "card",
      captured: status === "captured",
      email: "payer@example.test",
      created_at: Math.floor(Date.now() / 1000),
    };
  }

  private async emit(event: string, payload: object, contains: string[]): Promise<void> {
    const body = JSON.stringify({
      entity: "event",
      account_id: "acc_standin",
      event,
      contains,
      payload,
      created_at: Math.floor(Date.now() / 1000),
    });
    const sent = { eventId: id("evt"), event, body, signature: hmac(this.webhookSecret, body) };
    this.events.push(sent);
    if (this.autoDeliver) await this.deliver(sent);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    const body = await readBody(req);
    if (req.method === "POST" && url.pathname === "/v1/orders")
      return this.createOrder(req, body, res);
    if (req.method === "GET" && url.pathname === "/v1/checkout.js") {
      res.setHeader("content-type", "application/javascript");
      return void res.end(checkoutScript(this.url));
    }
    if (req.method === "GET" && url.pathname === "/checkout") return this.checkoutPage(url, res);
    if (
      req.method === "POST" &&
      (url.pathname === "/checkout/pay" || url.pathname === "/checkout/fail")
    )
      return this.finishCheckout(url.pathname.endsWith("pay"), new URLSearchParams(body), res);
    // Browsers ask every page's host for an icon: answered, so a missing one is no console error.
    res.statusCode = url.pathname === "/favicon.ico" ? 204 : 404;
    res.end();
  }

  private createOrder(req: IncomingMessage, raw: string, res: ServerResponse): void {
    const expected = `Basic ${Buffer.from(`${this.keyId}:${this.keySecret}`).toString("base64")}`;
    if (req.headers.authorization !== expected)
      return json(res, 401, {
        error: { code: "BAD_REQUEST_ERROR", description: "Authentication failed" },
      });
    let input: { amount?: unknown; currency?: unknown; receipt?: unknown; notes?: unknown };
    try {
      input = JSON.parse(raw) as typeof input;
    } catch {
      return json(res, 400, { error: { code: "BAD_REQUEST_ERROR", description: "Invalid JSON" } });
    }
    if (typeof input.amount !== "number" || !Number.isInteger(input.amount) || input.amount < 100)
      return json(res, 400, {
        error: {
          code: "BAD_REQUEST_ERROR",
          description: "The amount must be atleast INR 1.00",
          field: "amount",
        },
      });
    if (input.currency !== "INR")
      return json(res, 400, {
        error: {
          code: "BAD_REQUEST_ERROR",
          description: "The currency field is required.",
          field: "currency",
        },
      });
    if (typeof input.receipt !== "string" || input.receipt.length > 40)
      return json(res, 400, {
        error: {
          code: "BAD_REQUEST_ERROR",
          description: "receipt: at most 40 characters",
          field: "receipt",
        },
      });
    const order: Order = {
      id: id("order"),
      amount: input.amount,
      currency: "INR",
      receipt: input.receipt,
      status: "created",
      attempts: 0,
      notes: (input.notes ?? {}) as Record<string, string>,
    };
    this.orders.set(order.id, order);
    json(res, 200, {
      ...order,
      entity: "order",
      amount_paid: 0,
      amount_due: order.amount,
      created_at: Math.floor(Date.now() / 1000),
    });
  }

  private checkoutPage(url: URL, res: ServerResponse): void {
    const orderId = url.searchParams.get("order_id") ?? "";
    const callback = url.searchParams.get("callback_url") ?? "";
    const order = this.orders.get(orderId);
    if (!order || url.searchParams.get("key") !== this.keyId) {
      res.statusCode = 400;
      return void res.end("unknown order or key");
    }
    const hidden = `<input type="hidden" name="order_id" value="${escape(orderId)}"><input type="hidden" name="callback_url" value="${escape(callback)}">`;
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end(`<!doctype html><html><head><title>Razorpay stand-in checkout</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<h1>Stand-in checkout</h1><p data-amount>Amount: ${order.amount} paise</p>
<form method="post" action="/checkout/pay">${hidden}<button type="submit">Pay now</button></form>
<form method="post" action="/checkout/fail">${hidden}<button type="submit">Fail payment</button></form>
</body></html>`);
  }

  private async finishCheckout(paid: boolean, form: URLSearchParams, res: ServerResponse) {
    const orderId = form.get("order_id") ?? "";
    const callback = form.get("callback_url") ?? "";
    const fields: Record<string, string> = {};
    if (paid) {
      const { paymentId, signature } = await this.pay(orderId);
      Object.assign(fields, {
        razorpay_payment_id: paymentId,
        razorpay_order_id: orderId,
        razorpay_signature: signature,
      });
    } else {
      const paymentId = await this.fail(orderId);
      Object.assign(fields, {
        "error[code]": "BAD_REQUEST_ERROR",
        "error[description]": "Your card was declined.",
        "error[reason]": "payment_failed",
        "error[metadata]": JSON.stringify({ payment_id: paymentId, order_id: orderId }),
      });
    }
    const inputs = Object.entries(fields)
      .map(([k, v]) => `<input type="hidden" name="${escape(k)}" value="${escape(v)}">`)
      .join("");
    res.setHeader("content-type", "text/html; charset=utf-8");
    res.end(`<!doctype html><html><body><form method="post" action="${escape(callback)}">${inputs}
<button type="submit">Return to the merchant</button></form>
<script>document.forms[0].submit()</script></body></html>`);
  }
}

/** Checkout's browser API, enough of it: `new Razorpay(options).open()` in redirect mode. */
function checkoutScript(base: string): string {
  return `window.Razorpay = function (options) { this.options = options; };
window.Razorpay.prototype.open = function () {
  var o = this.options;
  var q = new URLSearchParams({ key: o.key, order_id: o.order_id, amount: String(o.amount), callback_url: o.callback_url });
  window.location.href = ${JSON.stringify(base)} + "/checkout?" + q.toString();
};`;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader("content-type", "application/json");
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export async function startRazorpayStandIn(): Promise<RazorpayStandIn> {
  return new RazorpayStandIn().start();
}
