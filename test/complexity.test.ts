import assert from "node:assert/strict";
import { test } from "node:test";
import { fitComplexity, fitCurve } from "../src/stats/complexity.js";
import { gaussian, uniform } from "./helpers/synthetic.js";

const NS = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192];

function synthetic(f: (n: number) => number, noise: number, seed: number) {
  const random = uniform(seed);
  return NS.map((n) => ({ n, value: f(n) * (1 + noise * gaussian(random)) }));
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

test("O(1), O(N) and O(N^2) stay apart with 10% noise; N vs N log N may honestly tie", () => {
  for (const [bigO, f] of [cases[0], cases[2], cases[4]]) {
    for (let seed = 1; seed <= 20; seed++) {
      const fit = fitComplexity(synthetic(f, 0.1, seed));
      const ok = bigO === "O(N)" ? fit?.big_o === "O(N)" || (fit?.big_o === "inconclusive" && fit.candidates?.includes("O(N)")) : fit?.big_o === bigO;
      assert.ok(ok, `${bigO} seed ${seed}: ${JSON.stringify(fit)}`);
    }
  }
});

test("the intercept takes a constant per-call cost: 500 + N is O(N), not O(log N)", () => {
  // Through the origin, the large constant makes the small-N points look like slow growth.
  const fit = fitComplexity([1, 16, 256, 4096].map((n) => ({ n, value: 500 + n })));
  assert.equal(fit?.big_o, "O(N)");
  assert.ok(Math.abs(fit!.intercept! - 500) < 1e-6 && Math.abs(fit!.coefficient - 1) < 1e-9);
});

test("a drift of less than 2x over the range is O(1), not O(log N)", () => {
  const fit = fitComplexity([1, 16, 256, 4096, 65536].map((n, i) => ({ n, value: [1, 1.32, 1.45, 1.54, 1.54][i] })));
  assert.equal(fit?.big_o, "O(1)");
});

test("curves that fit about equally well are inconclusive, naming both", () => {
  // Four points of a + b*N with 1% noise: N and N log N cannot be told apart.
  const fit = fitComplexity([1, 16, 256, 4096].map((n, i) => ({ n, value: (6800 + 4.8 * n) * [1, 1.01, 0.985, 1][i] })));
  assert.equal(fit?.big_o, "inconclusive");
  assert.deepEqual([...fit!.candidates!].sort(), ["O(N log N)", "O(N)"]);
});

test("coefficient, intercept and relative RMS", () => {
  const exact = fitCurve(
    NS.map((n) => ({ n, value: 0.7 * n })),
    "O(N)",
  );
  assert.ok(Math.abs(exact.coefficient - 0.7) < 1e-12);
  assert.ok(exact.rms < 1e-12);
  // O(1) fit of [1, 3] weighted by 1/value^2: a = (1 + 3/9) / (1 + 1/9) = 1.2; residuals -0.2 and 1.8 relative: 0.2, 0.6.
  const c = fitCurve(
    [
      { n: 2, value: 1 },
      { n: 4, value: 3 },
    ],
    "O(1)",
  );
  assert.ok(Math.abs(c.intercept - 1.2) < 1e-12);
  assert.ok(Math.abs(c.rms - Math.sqrt((0.2 ** 2 + 0.6 ** 2) / 2)) < 1e-12);
});

test("fewer than three distinct N cannot be fitted; bad input is refused", () => {
  assert.equal(
    fitComplexity([
      { n: 8, value: 1 },
      { n: 16, value: 2 },
    ]),
    null,
  );
  assert.throws(
    () =>
      fitComplexity([
        { n: 0, value: 1 },
        { n: 8, value: 2 },
        { n: 9, value: 2 },
      ]),
    RangeError,
  );
  assert.throws(
    () =>
      fitComplexity([
        { n: 4, value: NaN },
        { n: 8, value: 2 },
        { n: 9, value: 2 },
      ]),
    RangeError,
  );
});
