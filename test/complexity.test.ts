import assert from "node:assert/strict";
import { test } from "node:test";
import { fitComplexity, fitCurve } from "../src/bench/complexity.js";
import { mulberry32 } from "../src/bench/prng.js";
import { gaussian } from "./helpers/synthetic.js";

const NS = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192];

function synthetic(f: (n: number) => number, noise: number, seed: number) {
  const random = mulberry32(seed);
  return NS.map((n) => ({ n, time: f(n) * (1 + noise * gaussian(random)) }));
}

const cases = [
  ["O(1)", () => 50],
  ["O(log N)", (n: number) => 3 * Math.log2(n)],
  ["O(N)", (n: number) => 0.7 * n],
  ["O(N log N)", (n: number) => 0.2 * n * Math.log2(n)],
  ["O(N^2)", (n: number) => 0.01 * n * n],
] as const;

for (const [bigO, f] of cases) {
  test(`recovers ${bigO} from data with 2% noise over 20 seeds`, () => {
    for (let seed = 1; seed <= 20; seed++) {
      const fit = fitComplexity(synthetic(f, 0.02, seed));
      assert.equal(fit?.big_o, bigO, `seed ${seed}: ${JSON.stringify(fit)}`);
    }
  });
}

test("O(1), O(N) and O(N^2) stay apart with 10% noise (N vs N log N needs less: they differ by a slowly growing log)", () => {
  for (const [bigO, f] of [cases[0], cases[2], cases[4]]) {
    for (let seed = 1; seed <= 20; seed++) {
      const fit = fitComplexity(synthetic(f, 0.1, seed));
      const ok = bigO === "O(N)" ? fit?.big_o === "O(N)" || fit?.big_o === "O(N log N)" : fit?.big_o === bigO;
      assert.ok(ok, `${bigO} seed ${seed}: ${JSON.stringify(fit)}`);
    }
  }
});

test("coefficient and normalised RMS follow Google Benchmark's definitions", () => {
  const exact = fitCurve(NS.map((n) => ({ n, time: 0.7 * n })), "O(N)");
  assert.ok(Math.abs(exact.coefficient - 0.7) < 1e-12);
  assert.ok(exact.rms < 1e-12);
  // O(1) fit of [1, 3]: coefficient = mean = 2, rms = 1, normalised by the mean = 0.5.
  assert.deepEqual(fitCurve([{ n: 2, time: 1 }, { n: 4, time: 3 }], "O(1)"), { big_o: "O(1)", coefficient: 2, rms: 0.5 });
});

test("one distinct N cannot be fitted; bad input is refused", () => {
  assert.equal(fitComplexity([{ n: 8, time: 1 }, { n: 8, time: 2 }]), null);
  assert.throws(() => fitComplexity([{ n: 0, time: 1 }, { n: 8, time: 2 }]), RangeError);
  assert.throws(() => fitComplexity([{ n: 4, time: NaN }, { n: 8, time: 2 }]), RangeError);
});
