// Suite `throughput`: independent mode on the worker pool. Every worker owns
// its process, rings and contexts; each case runs one operation mix on 1, 2,
// 4 ... workers, doubling up to twice the cores, and reports total ops/s, ops/s per
// worker and scaling against the same mix on one worker. Samples are per-op
// ns of the whole pool (1e9 / total ops/s per window of completions).
import { availableParallelism, loadavg } from "node:os";
import type { BenchCase, Headline, Suite } from "../src/contract/suite.js";
import type { ChartSeries } from "../src/contract/suite-report.js";
import { groupSeries, lineChart, lineSeries, opsPerSecondY } from "../src/report/suite-charts.js";
import { formatSi } from "../src/report/format.js";
import { headline, ratioLine } from "./ratio.js";
import { measureScaling, type ThroughputResult } from "../src/pool/throughput.js";
import { MIXES, type Mix } from "../src/pool/tasks.js";
import { BATCH } from "../src/pool/workload.js";

/** Operations the default run must drive through the pool in all (the floor). */
const MIN_TOTAL_OPS = 10_000_000;
/** Each case's measured wall time, as a multiple of the runner's per-case budget (--time). */
const BUDGET_FACTOR = 2;

/** Ctrl-C ends the measurement early with what completed; the runner then stops the run. */
async function measureTogether(mix: Mix, workers: readonly number[], budgetMs: number): Promise<ThroughputResult[]> {
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.on("SIGINT", onSigint);
  try {
    const { results } = await measureScaling({
      workers,
      mix,
      budgetMs: budgetMs * BUDGET_FACTOR,
      rounds: ROUNDS,
      seed: 0x5eed,
      pin: true,
      signal: abort.signal,
    });
    return results;
  } finally {
    process.off("SIGINT", onSigint);
  }
}

/** 1, 2, 4 ... doubling up to twice the cores (and that count itself): the quick run keeps 1, 2 and the widest. */
function workerCounts(quick: boolean): number[] {
  const max = 2 * availableParallelism();
  const doubling = Array.from({ length: Math.floor(Math.log2(max)) + 1 }, (_, i) => 2 ** i);
  return [...new Set(quick ? [1, 2, max] : [...doubling, max])].filter((w) => w <= max);
}

/** Interleaved rounds per mix: each worker count's interval comes from this many window medians. */
const ROUNDS = 8;

export const throughputSuite: Suite = {
  name: "throughput",
  description: "independent mode on the worker pool: total ops/s by workers and mix (ns/op of the whole pool)",
  async cases(opts) {
    const mixes: readonly Mix[] = opts.quick ? ["ring"] : MIXES;
    const counts = workerCounts(opts.quick);
    const cases: BenchCase[] = [];
    for (const mix of mixes) {
      // The mix's worker counts are timed together, in interleaved rounds
      // (measureScaling): the first of its cases to be measured measures all
      // of them, with the budget of all, and the others take their part. A
      // case measured again (the runner's second look) starts a new measurement.
      const looks = counts.map(() => 0);
      let together: { look: number; results: Promise<ThroughputResult[]> } | null = null;
      const measureMix = (k: number, budgetMs: number) => {
        const look = ++looks[k];
        if (!together || together.look < look) together = { look, results: measureTogether(mix, counts, budgetMs) };
        return together.results;
      };
      for (const [k, workers] of counts.entries()) {
        cases.push({
          kind: "measured",
          case: `pool-${mix}`,
          backend: "wasm",
          params: { workers, batch: BATCH },
          group: `pool-${mix}`,
          reference: workers === 1,
          async measure(budgetMs) {
            // Other processes' load skews scaling figures: record it beside them.
            const load = loadavg()[0];
            const all = await measureMix(k, budgetMs);
            const r = all[k];
            const base = all[0].opsPerSec;
            return {
              samples: r.samples,
              ...(r.roundSizes ? { roundSizes: r.roundSizes } : {}),
              // All of these move with the machine's load: measurements, not exact counters.
              measurements: {
                ops_per_s_total: r.opsPerSec,
                ops_per_worker: r.opsPerSecPerWorker,
                scaling_efficiency: r.opsPerSec / (workers * base),
                task_overhead_pct: r.overheadPct,
                round_trip_us: r.roundTripNs / 1e3,
                task_ops: r.taskOps,
                tasks: r.tasks,
                ops_total: r.ops,
                threads: r.threads,
                pinned_cpus: r.cpus?.length ?? 0,
                load_avg_1m: load,
              },
            };
          },
        });
      }
    }
    return cases;
  },
  summary(results) {
    const lines: Headline[] = [];
    const ok = results.filter((r) => r.unavailable === null);
    const at = (mix: string, workers: number) => ok.find((r) => r.case === `pool-${mix}` && r.params.workers === workers);
    for (const mix of MIXES) {
      const one = at(mix, 1);
      const two = at(mix, 2);
      // Scaling as the pool's ns/op on one worker over two, with its interval like every ratio target.
      if (one && two) lines.push(ratioLine(`throughput ${mix}: 2 workers / 1 worker (pool ns/op)`, one, two, { op: ">=", bound: 1.8 }));
    }
    // Pinned, the one-worker side is the mean of one worker on each CPU of the two-worker pool.
    if (ok.some((r) => r.params.workers === 1 && r.measurements.pinned_cpus === 0))
      lines.push(headline("throughput: threads not pinned (one CPU allowed, or no procfs or taskset): 2 / 1 depends on which core one worker got", 0, null));
    const ring = at("ring", 1);
    if (ring)
      lines.push(
        headline(
          `throughput ring: ${formatSi(ring.measurements.ops_per_worker)} events/s per worker on the batch ring path`,
          ring.measurements.ops_per_worker,
          { op: ">=", bound: 300e6, unit: "" },
        ),
      );
    if (ok.length) {
      const total = ok.reduce((s, r) => s + r.measurements.ops_total, 0);
      const overhead = Math.max(...ok.map((r) => r.measurements.task_overhead_pct));
      lines.push(headline(`throughput: ${formatSi(total)} operations through the pool`, total, { op: ">=", bound: MIN_TOTAL_OPS, unit: "" }));
      lines.push(headline(`throughput: worst task overhead ${formatSi(overhead, 2)}%`, overhead, { op: "<", bound: 2, unit: "%" }));
    }
    return lines;
  },
  report: {
    title: "Throughput vs worker count",
    nav: "Throughput",
    intro:
      "Operations per second of the whole pool against the number of worker threads, 95% interval on every point; dashed: ideal scaling (one worker's rate times the workers).",
    section(results) {
      // Log y: mixes differ by 30x in rate, and on a log axis ideal scaling is a line of the same slope for each.
      const measured = lineSeries(groupSeries(results, "workers"), "workers", { yOf: opsPerSecondY, logY: true });
      return {
        chart: lineChart(
          "Throughput: operations per second vs workers",
          { title: "worker threads" },
          { title: "operations per second (whole pool), log scale", log: true },
          measured.flatMap((s) => [s, ...idealScaling(s)]),
        ),
      };
    },
  },
};

/** One worker's rate times the workers, beside a mix measured on one worker. */
function idealScaling(s: ChartSeries): ChartSeries[] {
  const one = s.points.find((p) => p.x === 1);
  if (!one) return [];
  return [{ label: `${s.label} ideal`, style: "guide", points: s.points.map((p) => ({ x: p.x, y: one.y * Number(p.x) })) }];
}
