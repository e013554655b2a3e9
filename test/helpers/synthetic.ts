/**
 * Synthetic benchmark samples that look like a real run on a shared 2-core
 * machine: a per-run offset (frequency, memory layout, JIT decisions differ
 * between processes), autocorrelated noise between consecutive batches, bursts
 * of contention (another process on the other core for a while) and isolated
 * preempted batches. Seeded, so tests are reproducible.
 */
import type { Run } from "../../src/contract/run-document.js";
import type { Suite } from "../../src/contract/suite.js";
import { summarize } from "../../src/stats/summary.js";
import { Prng } from "../../src/util/prng.js";

/** Uniform numbers in [0, 1) from the project's seeded PRNG, as a function for the generators below. */
export function uniform(seed: number): () => number {
  const rng = new Prng(seed);
  return () => rng.float();
}

export interface NoiseModel {
  /** Samples per run. */
  n: number;
  /** Standard deviation of the per-run log offset. */
  runSigma: number;
  /** Standard deviation of the AR(1) log noise, and its lag-1 correlation. */
  sigma: number;
  phi: number;
  /** Probability that a contention burst starts at a sample / continues to the next. */
  burstEnter: number;
  burstStay: number;
  /** Slowdown factor during a burst. */
  burstFactor: number;
  /** Probability of a single preempted batch, and its mean extra cost (fraction). */
  spikeProb: number;
  spikeMean: number;
}

export const SHARED_MACHINE: NoiseModel = {
  n: 256,
  runSigma: 0.01,
  sigma: 0.03,
  phi: 0.7,
  burstEnter: 0.02,
  burstStay: 0.85,
  burstFactor: 1.4,
  spikeProb: 0.05,
  spikeMean: 0.5,
};

export function gaussian(random: () => number): number {
  const u = 1 - random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/** One run's samples (per-op time in ns) around a true time `mu`. */
export function noisyRun(random: () => number, mu: number, model: NoiseModel): number[] {
  const offset = Math.exp(model.runSigma * gaussian(random));
  const innovation = model.sigma * Math.sqrt(1 - model.phi ** 2);
  let x = model.sigma * gaussian(random);
  let burst = false;
  const out: number[] = [];
  for (let i = 0; i < model.n; i++) {
    x = model.phi * x + innovation * gaussian(random);
    burst = burst ? random() < model.burstStay : random() < model.burstEnter;
    let v = mu * offset * Math.exp(x) * (burst ? model.burstFactor : 1);
    if (random() < model.spikeProb) v *= 1 - model.spikeMean * Math.log(1 - random());
    out.push(v);
  }
  return out;
}

/** A one-result-per-id run document around the given samples, for compare/export/history tests. */
export function syntheticRun(results: Array<{ id: string; samples: number[]; counters?: Record<string, number> }>, machine: Partial<Run["machine"]> = {}): Run {
  return {
    schema: "aio-ring-bench/run@1",
    tool: { name: "aio-ring-bench", version: "0.1.0" },
    git: { commit: "0123456789abcdef0123456789abcdef01234567", dirty: false },
    started: "2025-01-01T00:00:00.000Z",
    machine: { node: "v20.0.0", v8: "11.3", cpu: "Test CPU", cores: 2, kernel: "6.1.0", arch: "x64", ...machine },
    config: {},
    results: results.map((r) => {
      const [suite, kase] = r.id.split("/");
      return {
        id: r.id,
        suite,
        case: kase ?? r.id,
        params: {},
        backend: "wasm",
        unit: "ns/op" as const,
        samples: r.samples,
        stats: summarize(r.samples),
        counters: r.counters ?? {},
        complexity: null,
      };
    }),
  };
}

/** A suite of one cheap timed case that records whether it ran: for checks that must refuse before measuring. */
export function watchedSuite(): { suite: Suite; measured: () => boolean } {
  let measured = false;
  const suite: Suite = {
    name: "tiny",
    description: "one cheap timed case",
    async cases() {
      return [
        {
          kind: "timed",
          case: "noop",
          backend: "host",
          params: {},
          run: () => {
            measured = true;
          },
        },
      ];
    },
  };
  return { suite, measured: () => measured };
}
