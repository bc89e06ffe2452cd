import type { IncomingMessage, ServerResponse } from "node:http";
import { WhatsAppCloudStandIn } from "../../test/standins/whatsappCloud";

/**
 * The Cloud API stand-in in a process of its own for bench:campaigns, as the real provider is:
 * its HTTP parsing and its one-second throughput window must not share a CPU-bound event loop
 * with the senders they judge (a late timer there counted sends of two seconds as one).
 * Control routes (JSON): POST /_bench/numbers and /_bench/templates register, GET /_bench/counts
 * answers counts(), GET /_bench/sends?phoneNumberId=… how many were accepted for that number
 * and the first and last acceptance times.
 */
const port = Number(process.env.STANDIN_PORT ?? 0);

async function body(req: IncomingMessage): Promise<unknown> {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  return JSON.parse(text) as unknown;
}

async function main(): Promise<void> {
  const standIn = new WhatsAppCloudStandIn({ statusFlow: [] });
  const json = (res: ServerResponse, value: unknown) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(value));
  };
  await standIn.start(port, (req, res) => {
    const url = new URL(req.url ?? "/", "http://stand-in");
    if (!url.pathname.startsWith("/_bench/")) return false;
    const answer = async () => {
      if (url.pathname === "/_bench/numbers") {
        standIn.addNumber((await body(req)) as Parameters<typeof standIn.addNumber>[0]);
        return json(res, { ok: true });
      }
      if (url.pathname === "/_bench/templates") {
        standIn.addTemplate((await body(req)) as Parameters<typeof standIn.addTemplate>[0]);
        return json(res, { ok: true });
      }
      if (url.pathname === "/_bench/counts") return json(res, standIn.counts());
      if (url.pathname === "/_bench/ready") return json(res, { ok: true });
      const id = url.searchParams.get("phoneNumberId");
      const mine = standIn.sends.filter((s) => s.phoneNumberId === id);
      return json(res, {
        count: mine.length,
        firstAt: mine[0]?.at ?? null,
        lastAt: mine[mine.length - 1]?.at ?? null,
      });
    };
    answer().catch((error: unknown) => {
      res.writeHead(500);
      res.end(String(error));
    });
    return true;
  });
  process.stdout.write(`stand-in on ${standIn.url}\n`);
  const stop = () => void standIn.stop().then(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
