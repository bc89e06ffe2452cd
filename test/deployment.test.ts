import { readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

/** The words of a command that are node's own flags (before the entry point). */
const flagsOf = (command: string) => command.split(/\s+/).filter((word) => word.startsWith("--"));

describe("production node settings", () => {
  const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;

  it("are the same for the web process, the worker and the container image", () => {
    const web = flagsOf(scripts.start ?? "");
    expect(web).toContain("--max-semi-space-size=64");
    expect(flagsOf(scripts.worker ?? "")).toEqual(web);
    const image = /^ENV NODE_OPTIONS=(.+)$/m.exec(read("Dockerfile"))?.[1];
    expect(flagsOf(image ?? "")).toEqual(web);
  });
});
