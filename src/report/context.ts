// The run's context as one line above the bench tables (Google Benchmark
// prints the same before its table); the run JSON has all of it.
import type { RunContext } from "../contract/run-context.js";
import type { Run } from "../contract/run-document.js";
import { wrap } from "./text-table.js";

/** "36608K" -> "36M": sysfs gives cache sizes in K. */
function cacheSize(size: string): string {
  const m = /^(\d+)K$/.exec(size);
  return m && Number(m[1]) >= 1024 ? `${Math.round(Number(m[1]) / 1024)}M` : size;
}

const round1 = (x: number) => (x >= 10 ? x.toFixed(0) : x.toFixed(1));

/** One line: CPU, data caches, kernel, node, load at start -> end (1 min), git commit, CI. */
export function contextLine(run: Run): string {
  const c = run.context as RunContext | undefined;
  const m = run.machine;
  const freq = c?.cpu_mhz ? `, ${c.cpu_mhz} MHz` : "";
  const governor = c?.governor ? ` (${c.governor})` : "";
  const caches = c?.caches.length
    ? `; ${c.caches
        .filter((x) => x.type !== "Instruction")
        .map((x) => `L${x.level}${x.type === "Data" ? "d" : ""} ${cacheSize(x.size)}`)
        .join(" ")}`
    : "";
  const load = c ? `; load ${round1(c.load_avg_start[0])}${c.load_avg_end ? `→${round1(c.load_avg_end[0])}` : ""}` : "";
  const git = run.git ? `; git ${run.git.commit.slice(0, 8)}${run.git.dirty ? "+dirty" : ""}` : "";
  const ci = c?.ci ? `; CI ${c.ci.name ?? "unknown"}${c.ci.pull_request ? " PR" : ""}${c.ci.branch ? ` ${c.ci.branch}` : ""}` : "";
  const cpu = m.cpu.replace(/\(R\)|\(TM\)|\s+Processor|\s+CPU/g, "").replace(/\s+/g, " ");
  return `${cpu} x${m.cores}${freq}${governor}${caches}; kernel ${m.kernel.split("-")[0]}, node ${m.node.replace(/^v/, "")}${load}${git}${ci}`;
}

export function renderContext(run: Run, width: number): string[] {
  return wrap(contextLine(run), width, "  ");
}
