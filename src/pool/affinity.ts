// CPU affinity of pool threads. A VM's vCPUs do not always run at one speed:
// for seconds at a time one of this machine's two ran the native ring loop
// at 1.15 ns/event while the other ran it at 0.80 (docs/performance.md). A
// single worker left to the scheduler is timed on whichever it landed on,
// so "2 workers / 1 worker" read anywhere from 1.66x to 2.76x for the same
// C loop. Pinning each worker to a known CPU lets a scaling figure compare
// the same cores on both sides. Linux only (procfs, util-linux taskset);
// where either is missing, pinning reports why and the pool runs unpinned.
import { spawnSync } from "node:child_process";
import { readFileSync, readlinkSync } from "node:fs";

/** Parses a kernel CPU list ("0-3,8,10-11") into ascending CPU numbers; null if it is not one. */
export function parseCpuList(text: string): number[] | null {
  const cpus = new Set<number>();
  for (const part of text.trim().split(",")) {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    if (!m) return null;
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo || hi - lo > 65_536) return null;
    for (let c = lo; c <= hi; c++) cpus.add(c);
  }
  return [...cpus].sort((a, b) => a - b);
}

/** The CPUs a task may run on, from its procfs status file (`/proc/self` or `/proc/thread-self`); null where procfs does not say. */
export function allowedCpus(task: "self" | "thread-self" = "self"): number[] | null {
  let status: string;
  try {
    status = readFileSync(`/proc/${task}/status`, "utf8");
  } catch {
    return null;
  }
  const m = /^Cpus_allowed_list:\s*(\S+)$/m.exec(status);
  return m ? parseCpuList(m[1]) : null;
}

/** Binds the calling thread to one CPU. Returns null when it holds, else why not. */
export function pinThisThread(cpu: number): string | null {
  let tid: string;
  try {
    // "<pid>/task/<tid>": the only way to a worker thread's kernel id without a native addon.
    tid = readlinkSync("/proc/thread-self").split("/").pop() ?? "";
  } catch {
    return "no /proc/thread-self (not Linux, or procfs not mounted)";
  }
  const r = spawnSync("taskset", ["-p", "-c", String(cpu), tid], { stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  if (r.error) return `taskset could not run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`;
  if (r.status !== 0) return `taskset -p -c ${cpu} failed: ${r.stderr.trim() || `exit ${r.status}`}`;
  const now = allowedCpus("thread-self");
  return now && now.length === 1 && now[0] === cpu ? null : `after taskset the thread may run on ${now?.join(",") ?? "unknown CPUs"}, not ${cpu} alone`;
}
