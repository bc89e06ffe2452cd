/** Plain-text tables and numbers for benchmark output (stdout; the lint forbids console). */

export function say(line = ""): void {
  process.stdout.write(`${line}\n`);
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return "–";
  return value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(1)} ms`;
}

export function int(value: number): string {
  return Number.isFinite(value) ? Math.round(value).toLocaleString("en-US") : "–";
}

/** Columns are right-aligned (numbers) except those marked "l" in `align` (the first by default). */
export function table(header: string[], rows: string[][], align: string = "l"): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        (align[i] ?? "r") === "l" ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0),
      )
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
