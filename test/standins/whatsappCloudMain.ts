import { parseArgs } from "node:util";
import { WhatsAppCloudStandIn } from "./whatsappCloud";

/**
 * The WhatsApp stand-in as its own process, for a demo or a benchmark run outside jest:
 *
 *   npx tsx test/standins/whatsappCloudMain.ts --port 4010 \
 *     --webhook http://127.0.0.1:3000/webhooks/whatsapp --app-secret "$WHATSAPP_APP_SECRET" \
 *     --number 1061234567:EAAG-demo-token:80 --template 1061234567:offer:en:1
 *
 * then point the app at it (WHATSAPP_GRAPH_BASE_URL=http://127.0.0.1:4010) and connect the number
 * under /settings/channels with that id and token (WABA id: waba-<phone number id>). Statuses are
 * posted to the webhook as sends are accepted; GET /_standin/counts answers the stand-in's counts.
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "4010" },
    webhook: { type: "string" },
    "app-secret": { type: "string" },
    number: { type: "string", multiple: true, default: [] },
    template: { type: "string", multiple: true, default: [] },
    "pair-rate-ms": { type: "string", default: "0" },
  },
});

async function main(): Promise<void> {
  const standIn = new WhatsAppCloudStandIn({
    webhookUrl: values.webhook,
    appSecret: values["app-secret"],
    autoDeliver: Boolean(values.webhook),
    pairRateMs: Number(values["pair-rate-ms"]),
  });
  for (const spec of values.number) {
    const [phoneNumberId, token, tier] = spec.split(":");
    if (!phoneNumberId || !token) throw new Error(`--number id:token[:tier], not ${spec}`);
    standIn.addNumber({ phoneNumberId, token, tier: Number(tier ?? 80) });
  }
  for (const spec of values.template) {
    const [phoneNumberId, name, language, count] = spec.split(":");
    const number = standIn.numbers.get(phoneNumberId ?? "");
    if (!number || !name || !language)
      throw new Error(`--template id:name:lang:params, not ${spec}`);
    standIn.addTemplate({ wabaId: number.wabaId, name, language, paramCount: Number(count ?? 0) });
  }
  await standIn.start(Number(values.port), (req, res) => {
    if (req.url !== "/_standin/counts") return false;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(standIn.counts()));
    return true;
  });
  process.stdout.write(`WhatsApp Cloud API stand-in on ${standIn.url}\n`);
  const stop = () => void standIn.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
