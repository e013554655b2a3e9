/**
 * --repeat N: the suites run in N fresh processes and their runs merge into
 * one, each process's rounds kept as rounds, so the variance between
 * processes (memory placement, JIT decisions, the machine's moment) enters
 * every interval compare computes from the merged run.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { UserError } from "../contract/errors.js";
import { PACKAGE_ROOT } from "./machine.js";
import { readRunFile } from "./run-file.js";
import type { Run, RunResult } from "../contract/run-document.js";
import { summarize } from "../stats/summary.js";

const run = promisify(execFile);

/** One result from the parts of one benchmark measured apart (processes, or looks of one run), samples and rounds in order. */
export function mergeResult(parts: RunResult[]): RunResult {
  const measured = parts.filter((r) => !r.status);
  if (measured.length === 0) return parts[0];
  const samples = measured.flatMap((r) => r.samples);
  const rounds = measured.every((r) => Array.isArray(r.round_sizes)) ? measured.flatMap((r) => r.round_sizes as number[]) : undefined;
  return { ...measured[0], samples, stats: summarize(samples), ...(rounds ? { round_sizes: rounds } : {}) };
}

/** One run of every benchmark measured by any of `runs`, samples and rounds concatenated in process order. */
export function mergeRuns(runs: readonly Run[]): Run {
  if (runs.length === 0) throw new RangeError("mergeRuns needs at least one run");
  const ids: string[] = [];
  const byId = new Map<string, RunResult[]>();
  for (const r of runs.flatMap((x) => x.results)) {
    if (!byId.has(r.id)) {
      ids.push(r.id);
      byId.set(r.id, []);
    }
    byId.get(r.id)!.push(r);
  }
  const first = runs[0];
  return {
    ...first,
    config: {
      ...first.config,
      repeat: runs.length,
      interrupted: runs.some((r) => r.config.interrupted === true),
      failed: runs.map((r) => r.config.failed).find((f) => f) ?? null,
    },
    results: ids.map((id) => mergeResult(byId.get(id)!)),
  };
}

/**
 * Runs `bench ARGS --json TMP` in `n` fresh processes one after another and
 * merges their runs. A process that fails ends the repetition with its
 * first line of error output.
 */
export async function repeatedRun(args: readonly string[], n: number, onProcess?: (i: number) => void): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), "aio-ring-bench-repeat-"));
  try {
    const runs: Run[] = [];
    for (let i = 0; i < n; i++) {
      onProcess?.(i);
      const file = join(dir, `run-${i}.json`);
      try {
        await run(process.execPath, [join(PACKAGE_ROOT, "dist", "src", "cli.js"), "bench", ...args, "--json", file], {
          maxBuffer: 64 * 1024 * 1024,
          env: { ...process.env, CI: "true" },
        });
      } catch (e) {
        const why = `${(e as { stderr?: string }).stderr ?? ""}`.trim().split("\n")[0] || (e as Error).message.split("\n")[0];
        throw new UserError(`--repeat: process ${i + 1} of ${n} failed: ${why}`);
      }
      runs.push(readRunFile(file));
    }
    return mergeRuns(runs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
