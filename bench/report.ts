import Table from "cli-table3";

/** One line of the bench table: what was measured beside the figure to reach. */
export interface BenchRow {
  section: string;
  metric: string;
  measured: string;
  /** Empty when the figure is informational. */
  target: string;
  /** undefined when there is no target. */
  ok?: boolean | undefined;
}

/** The q-quantile (0..1) of values, nearest-rank on a sorted copy. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

export function ms(value: number): string {
  if (!Number.isFinite(value)) return "n/a";
  return value < 10 ? `${value.toFixed(2)} ms` : `${value.toFixed(0)} ms`;
}

export function seconds(value: number): string {
  return `${value.toFixed(1)} s`;
}

export function megabytes(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(2)} GB` : `${(bytes / 1e6).toFixed(0)} MB`;
}

/** Figures within `max`. */
export function atMost(
  section: string,
  metric: string,
  value: number,
  max: number,
  format: (n: number) => string,
): BenchRow {
  return { section, metric, measured: format(value), target: `≤ ${format(max)}`, ok: value <= max };
}

export function info(section: string, metric: string, measured: string): BenchRow {
  return { section, metric, measured, target: "" };
}

export function renderTable(rows: readonly BenchRow[]): string {
  const table = new Table({
    head: ["section", "metric", "measured", "target", "ok?"],
    colWidths: [30, 46, 36, 12, 5],
    wordWrap: true,
    // Plain text: the table is pasted into reports and logs, where colour codes are noise.
    style: { head: [], border: [] },
  });
  for (const row of rows) {
    const ok = row.ok === undefined ? "" : row.ok ? "yes" : "NO";
    table.push([row.section, row.metric, row.measured, row.target, ok]);
  }
  return table.toString();
}

/** Peak resident set size of a process in bytes, from Linux's VmHWM; undefined elsewhere. */
export async function peakRss(pid: number | "self"): Promise<number | undefined> {
  const { readFile } = await import("node:fs/promises");
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * CPU seconds a process has used (user + system, all its threads), from Linux's /proc; undefined
 * elsewhere. On a shared machine wall time mostly measures the others; CPU time is the process's
 * own cost, what wall time would be on a quiet machine for single-threaded work.
 */
export async function cpuSeconds(pid: number): Promise<number | undefined> {
  const { readFile } = await import("node:fs/promises");
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may hold spaces) start at its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the line, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
