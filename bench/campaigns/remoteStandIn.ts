import path from "node:path";
import type { StandInCounts } from "../../test/standins/whatsappCloud";
import type { SendWorldStandIn } from "../../test/factoriesCampaignSends";
import { freePort, startServer, type ServerProcess } from "../lib/processes";

/**
 * bench:campaigns' handle on the stand-in process (standInProcess.ts). Registering a number or a
 * template is sent at once and awaited by `settled()` before a campaign starts, so that the
 * world builder can call it as it calls the in-process stand-in.
 */
export class RemoteStandIn implements SendWorldStandIn {
  private pending: Array<Promise<void>> = [];

  private constructor(private readonly server: ServerProcess) {}

  get url(): string {
    return this.server.url;
  }

  static async start(root: string): Promise<RemoteStandIn> {
    const port = await freePort();
    const server = await startServer({
      name: "WhatsApp stand-in",
      command: process.execPath,
      args: ["--import", "tsx", path.join(root, "bench/campaigns/standInProcess.ts")],
      env: { ...process.env, STANDIN_PORT: String(port) },
      port,
      readyPath: "/_bench/ready",
      logFile: path.join(root, "var/bench/standin.log"),
      cwd: root,
    });
    return new RemoteStandIn(server);
  }

  private post(route: string, input: unknown): void {
    this.pending.push(
      fetch(`${this.url}/_bench/${route}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(input),
      }).then((res) => {
        if (!res.ok) throw new Error(`stand-in ${route}: HTTP ${res.status}`);
      }),
    );
  }

  addNumber(input: Parameters<SendWorldStandIn["addNumber"]>[0]): void {
    this.post("numbers", input);
  }

  addTemplate(input: Parameters<SendWorldStandIn["addTemplate"]>[0]): void {
    this.post("templates", input);
  }

  async settled(): Promise<void> {
    const pending = this.pending.splice(0);
    await Promise.all(pending);
  }

  private async get<T>(route: string): Promise<T> {
    const res = await fetch(`${this.url}/_bench/${route}`);
    if (!res.ok) throw new Error(`stand-in ${route}: HTTP ${res.status}`);
    return (await res.json()) as T;
  }

  counts(): Promise<StandInCounts> {
    return this.get<StandInCounts>("counts");
  }

  sendsOf(
    phoneNumberId: string,
  ): Promise<{ count: number; firstAt: number | null; lastAt: number | null }> {
    return this.get(`sends?phoneNumberId=${encodeURIComponent(phoneNumberId)}`);
  }

  stop(): Promise<void> {
    return this.server.stop();
  }
}
