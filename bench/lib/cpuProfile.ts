import { readFileSync } from "node:fs";

/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and sums where the time went: self time by module
 * (npm package, our own source folder, Node internals, GC) and by function, and inclusive time of
 * our own functions (a sample counts once for each of our functions on its stack).
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Cost {
  name: string;
  ms: number;
  /** Share of the busy (non-idle) time, 0–100. */
  pct: number;
}

export interface ProfileSummary {
  /** Milliseconds of samples summed (after `skipMs`), idle included. */
  wallMs: number;
  busyMs: number;
  byModule: Cost[];
  byFunction: Cost[];
  /** Our own functions (src/, workers/), inclusive of what they call. */
  ownInclusive: Cost[];
}

const special = new Set(["(garbage collector)", "(program)", "(idle)", "(root)"]);

/** The module a frame belongs to: an npm package, a folder of ours, a Node internal, or V8. */
export function moduleOf(frame: CallFrame, root: string): string {
  if (special.has(frame.functionName) && !frame.url) return frame.functionName;
  const url = frame.url.replace(/^file:\/\//, "");
  if (!url) return "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1] as string;
  if (url.startsWith("node:")) return url.split("/").slice(0, 2).join("/");
  if (url.startsWith(root)) {
    const rel = url.slice(root.length + 1).replace(/^dist\//, "");
    const parts = rel.split("/");
    return parts.length > 2 ? parts.slice(0, 2).join("/") : rel;
  }
  return url;
}

function own(frame: CallFrame, root: string): boolean {
  const url = frame.url.replace(/^file:\/\//, "");
  return url.startsWith(root) && !url.includes("node_modules");
}

function label(frame: CallFrame, root: string): string {
  const url = frame.url.replace(/^file:\/\//, "");
  const where = url.startsWith(root)
    ? url.slice(root.length + 1).replace(/^dist\//, "")
    : (/node_modules\/(.*)$/.exec(url)?.[1] ?? url);
  const name = frame.functionName || "(anonymous)";
  return where ? `${name} ${where}:${frame.lineNumber + 1}` : name;
}

function top(map: Map<string, number>, busy: number, n: number): Cost[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([name, us]) => ({ name, ms: us / 1000, pct: (us / busy) * 100 }));
}

/**
 * Summarises a profile, ignoring its first `skipMs` (start-up, before the load began) and what
 * came after `untilMs` (both from the profile's start).
 */
export function summariseProfile(
  file: string,
  root: string,
  options: { skipMs?: number; untilMs?: number; top?: number } = {},
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const n = options.top ?? 25;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);

  const byModule = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const ownInclusive = new Map<string, number>();
  let elapsed = 0;
  let wall = 0;
  let idle = 0;
  const skipUs = (options.skipMs ?? 0) * 1000;
  const untilUs = (options.untilMs ?? Number.POSITIVE_INFINITY) * 1000;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i] ?? 0;
    elapsed += delta;
    if (elapsed < skipUs) continue;
    if (elapsed > untilUs) break;
    const node = nodes.get(profile.samples[i] as number);
    if (!node) continue;
    wall += delta;
    if (node.callFrame.functionName === "(idle)") {
      idle += delta;
      continue;
    }
    const module = moduleOf(node.callFrame, root);
    byModule.set(module, (byModule.get(module) ?? 0) + delta);
    const name = label(node.callFrame, root);
    byFunction.set(name, (byFunction.get(name) ?? 0) + delta);
    const seen = new Set<string>();
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const frame = nodes.get(id)?.callFrame;
      if (!frame || !own(frame, root)) continue;
      const ownName = label(frame, root);
      if (seen.has(ownName)) continue;
      seen.add(ownName);
      ownInclusive.set(ownName, (ownInclusive.get(ownName) ?? 0) + delta);
    }
  }
  const busy = wall - idle;
  return {
    wallMs: wall / 1000,
    busyMs: busy / 1000,
    byModule: top(byModule, busy, n),
    byFunction: top(byFunction, busy, n),
    ownInclusive: top(ownInclusive, busy, n),
  };
}
