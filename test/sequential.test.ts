// The anytime-valid rule behind ab's verdicts (src/stats/confidence-sequence.ts,
// src/stats/sequential-ab.ts), checked on seeded simulations: coverage under
// every look, run-level false alarms over 40 benchmarks, power at 10% and 5%.
import assert from "node:assert/strict";
import { test } from "node:test";
import { anytimeP, logMixture, lowestAccepted, medianSequence } from "../src/stats/confidence-sequence.js";
import { sequentialDecision, type SequentialOptions } from "../src/stats/sequential-ab.js";
import { Prng } from "../src/util/prng.js";

/** Heavy-tailed log-ratio noise like a loaded machine's: mostly Gaussian, sometimes a burst 5x wider. */
function noisy(rng: Prng, sd: number): () => number {
  const gauss = () => {
    const u = 1 - rng.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.float());
  };
  return () => gauss() * sd * (rng.chance(0.1) ? 5 : 1);
}

/**
 * One simulated ab run of `benchmarks` benchmarks whose true log change is
 * `shift` (control: 0), looking after every cycle as ab does, up to
 * `maxCycles`; returns each benchmark's final verdict.
 */
function simulateRun(rng: Prng, benchmarks: number, shift: number, threshold: number, sd: number, maxCycles = 80): string[] {
  const opts: SequentialOptions = { threshold, alpha: 0.05 / benchmarks, minCycles: 8 };
  const draw = noisy(rng, sd);
  const out: string[] = [];
  for (let b = 0; b < benchmarks; b++) {
    const logs: number[] = [];
    const control: number[] = [];
    let d = sequentialDecision(logs, control, opts, null);
    while (logs.length < maxCycles) {
      logs.push(shift + draw());
      control.push(draw());
      d = sequentialDecision(logs, control, opts, null);
      if (d.settled) break;
    }
    out.push(d.settled ? d.verdict : sequentialDecision(logs, control, opts, "budget").verdict);
  }
  return out;
}

test("mixture: S = n/2 is never rejected, extremes are, and the accepted band is symmetric", () => {
  assert.ok(logMixture(20, 10) < 0);
  assert.ok(logMixture(20, 0) > Math.log(1 / 0.05));
  // All 13 observations on one side reject at 1/800 (40 benchmarks' share of 5%, two-sided slack), 12 do not.
  assert.equal(lowestAccepted(13, 0.05 / 40), 1);
  assert.equal(lowestAccepted(12, 0.05 / 40), 0);
  for (const n of [10, 50, 200]) assert.ok(lowestAccepted(n, 0.01) <= n / 2);
});

test("confidence sequence: unbounded with few values, between order statistics after", () => {
  assert.deepEqual(medianSequence([1, 2, 3], 0.05), { n: 3, estimate: 2, lower: -Infinity, upper: Infinity });
  const xs = Array.from({ length: 40 }, (_, i) => i);
  const s = medianSequence(xs, 0.05);
  assert.equal(s.estimate, 19.5);
  const k = lowestAccepted(40, 0.05);
  assert.equal(s.lower, k - 1);
  assert.equal(s.upper, 40 - k);
  assert.ok(s.lower > 0 && s.upper < 39);
  assert.throws(() => medianSequence(xs, 0), RangeError);
});

test("confidence sequence: holds the median at every look in at least 95% of seeded null streams", () => {
  const rng = new Prng(2026);
  const draw = noisy(rng, 0.03);
  let missed = 0;
  const streams = 400;
  for (let s = 0; s < streams; s++) {
    const xs: number[] = [];
    let ever = false;
    for (let n = 1; n <= 100 && !ever; n++) {
      xs.push(draw());
      const cs = medianSequence(xs, 0.05);
      if (cs.lower > 0 || cs.upper < 0) ever = true;
    }
    if (ever) missed++;
  }
  // Ville's bound is 5%; the mixture is conservative, so far fewer.
  assert.ok(missed / streams <= 0.05, `missed the median at some look in ${missed}/${streams} streams`);
});

test("anytime p-value: small for a clear shift, large for none", () => {
  const rng = new Prng(7);
  const draw = noisy(rng, 0.02);
  const shifted = Array.from({ length: 30 }, () => 0.1 + draw());
  const none = Array.from({ length: 30 }, () => draw());
  assert.ok(anytimeP(shifted, 0) < 1e-4);
  assert.ok(anytimeP(none, 0) > 0.05);
});

test("run-level false alarms: 200 seeded A/A runs of 40 benchmarks, looked at after every cycle, almost never alarm", () => {
  const rng = new Prng(40);
  let failing = 0;
  for (let r = 0; r < 200; r++) {
    const verdicts = simulateRun(rng, 40, 0, 0.05, 0.03);
    if (verdicts.some((v) => v === "regressed" || v === "improved")) failing++;
  }
  assert.ok(failing <= 1, `${failing}/200 A/A runs had a false alarm`);
});

test("power: a 10% slowdown at the 5% threshold and a 5% one at 2% are caught in at least 95% of seeded trials", () => {
  const rng = new Prng(10);
  const caught10 = simulateRun(rng, 200, Math.log(1.1), 0.05, 0.03).filter((v) => v === "regressed").length;
  assert.ok(caught10 >= 190, `10% caught in ${caught10}/200`);
  const caught5 = simulateRun(rng, 200, Math.log(1.05), 0.02, 0.015, 120).filter((v) => v === "regressed").length;
  assert.ok(caught5 >= 190, `5% caught in ${caught5}/200`);
});

test("sequential decision: a control that differs makes the benchmark too noisy, never regressed", () => {
  const opts: SequentialOptions = { threshold: 0.05, alpha: 0.01, minCycles: 8 };
  const slow = Array.from({ length: 30 }, (_, i) => Math.log(1.2) + 0.001 * (i % 5));
  const d = sequentialDecision(slow, slow, opts, null);
  assert.equal(d.verdict, "too noisy");
  assert.ok(d.controlDiffers && d.settled);
  assert.match(d.reason, /the base build differed from itself, so the machine is too noisy/);
  const quiet = Array.from({ length: 30 }, (_, i) => 0.001 * ((i % 5) - 2));
  const r = sequentialDecision(slow, quiet, opts, null);
  assert.equal(r.verdict, "regressed");
  assert.match(r.reason, /slower by >= \+5\.0%, beyond the control/);
  // Regressed needs the interval wholly above the control's: a control at +4% (under half... no, above it) is checked.
  const ctl4 = Array.from({ length: 30 }, (_, i) => Math.log(1.02) + 0.001 * (i % 5));
  const near = Array.from({ length: 30 }, (_, i) => Math.log(1.055) + 0.03 * ((i % 7) - 3));
  assert.notEqual(sequentialDecision(near, ctl4, opts, "budget").verdict, "regressed");
  assert.equal(sequentialDecision(slow.slice(0, 5), null, opts, null).reason, "too few cycles (5, need 8)");
  assert.equal(sequentialDecision(slow.slice(0, 5), null, opts, "interrupted").reason, "interrupted");
  assert.match(sequentialDecision(near, null, opts, "interrupted").reason, /interrupted before the interval decided/);
});
