import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

/**
 * Webhook URLs must not reach the app's own network (SSRF): only http(s), and no host that is or
 * resolves to a private, loopback, link-local, unique-local, CGNAT, multicast, reserved or
 * unspecified address, IPv4 or IPv6 (IPv4 inside IPv6 — mapped, NAT64, 6to4 — checked as IPv4).
 * Checked when an endpoint is saved and again at every delivery, after resolving the host: the
 * delivery then connects to the very address it checked, so a DNS answer that changes between the
 * check and the connection (rebinding) cannot send it elsewhere.
 */
const v4 = new BlockList();
for (const [net, prefix] of [
  ["0.0.0.0", 8], // "this network", unspecified
  ["10.0.0.0", 8], // private
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8], // loopback
  ["169.254.0.0", 16], // link-local (cloud metadata at 169.254.169.254)
  ["172.16.0.0", 12], // private
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relay anycast
  ["192.168.0.0", 16], // private
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 4], // multicast
  ["240.0.0.0", 4], // reserved, broadcast
] as const)
  v4.addSubnet(net, prefix, "ipv4");

const v6 = new BlockList();
for (const [net, prefix] of [
  ["::", 96], // unspecified, loopback, IPv4-compatible (deprecated)
  ["::ffff:0:0", 96], // IPv4-mapped: never a legitimate target on the wire
  ["100::", 64], // discard
  ["2001::", 32], // Teredo: hides an IPv4 address
  ["2001:db8::", 32], // documentation
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const)
  v6.addSubnet(net, prefix, "ipv6");

/** The 16 bytes of an IPv6 address (already valid per isIP). */
function ipv6Bytes(address: string): number[] {
  let text = address.split("%")[0] ?? address;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted?.[1]) {
    tail.push(...dotted[1].split(".").map(Number));
    text = text.slice(0, -dotted[1].length) + "0:0";
  }
  const [head = "", rest] = text.split("::");
  const groups = (part: string) => (part ? part.split(":").filter((g) => g !== "") : []);
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const missing = 8 - left.length - right.length;
  const all = [...left, ...Array<string>(Math.max(0, missing)).fill("0"), ...right];
  const bytes = all.flatMap((g) => {
    const n = parseInt(g, 16);
    return [n >> 8, n & 0xff];
  });
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4), or null. */
function embeddedIPv4(address: string): string | null {
  const b = ipv6Bytes(address);
  const zero = (from: number, to: number) => b.slice(from, to).every((x) => x === 0);
  const quad = (at: number) => b.slice(at, at + 4).join(".");
  if (zero(0, 10) && b[10] === 0xff && b[11] === 0xff) return quad(12); // ::ffff:a.b.c.d
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zero(4, 12))
    return quad(12); // 64:ff9b::a.b.c.d (NAT64)
  if (b[0] === 0x20 && b[1] === 0x02) return quad(2); // 2002:aabb:ccdd:: (6to4)
  return null;
}

/** True for an address a webhook must never be sent to (and for anything that is not an IP). */
export function isForbiddenAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return v4.check(address, "ipv4");
  if (family !== 6) return true;
  const inner = embeddedIPv4(address);
  if (inner && v4.check(inner, "ipv4")) return true;
  return v6.check(address.split("%")[0] ?? address, "ipv6");
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address (injectable in tests). */
export type Resolver = (host: string) => Promise<ResolvedAddress[]>;

export const systemResolver: Resolver = async (host) => {
  const found = await lookup(host, { all: true, verbatim: true });
  return found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

export interface UrlCheckOptions {
  /** WEBHOOKS_ALLOW_PRIVATE_HOSTS: tests and development only. */
  allowPrivate: boolean;
  resolve?: Resolver;
}

export type UrlCheck =
  { ok: true; url: URL; target: ResolvedAddress } | { ok: false; reason: string };

/** A URL's host as the resolver and isIP take it: IPv6 literals without their brackets. */
function hostOf(url: URL): string {
  return url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * Parses and checks a webhook URL, resolves its host and checks every address it resolves to;
 * answers the address to connect to. The WHATWG parser has already turned numeric IPv4 forms
 * (0x7f.1, 2130706433, 0177.0.0.1) into dotted quads.
 */
export async function checkWebhookUrl(raw: string, options: UrlCheckOptions): Promise<UrlCheck> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "Enter a full URL starting with https:// or http://." };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return { ok: false, reason: "Only http:// and https:// URLs can receive webhooks." };
  const host = hostOf(url);
  if (!host) return { ok: false, reason: "The URL needs a host name." };
  const literal = isIP(host);
  let addresses: ResolvedAddress[];
  if (literal) addresses = [{ address: host, family: literal === 6 ? 6 : 4 }];
  else {
    try {
      addresses = await (options.resolve ?? systemResolver)(host);
    } catch {
      return { ok: false, reason: `The host ${host} could not be resolved.` };
    }
    if (addresses.length === 0)
      return { ok: false, reason: `The host ${host} could not be resolved.` };
  }
  if (!options.allowPrivate && addresses.some((a) => isForbiddenAddress(a.address)))
    return {
      ok: false,
      reason:
        "This URL points at a private, loopback, link-local or reserved address. Webhooks go to public addresses only.",
    };
  return { ok: true, url, target: addresses[0] as ResolvedAddress };
}
