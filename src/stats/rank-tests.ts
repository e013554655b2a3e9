/**
 * The Mann-Whitney U test, two-sided, by the normal
 * approximation with tie and continuity corrections. Deterministic: the same
 * input gives the same answer.
 */
import { errorFunction } from "simple-statistics";

export interface MannWhitneyResult {
  /** U statistic of the first sample. */
  u: number;
  /** Signed standard score; positive when the first sample tends to be larger. */
  z: number;
  /** Two-sided p-value. */
  p: number;
}

/**
 * Mann-Whitney U test (Wilcoxon rank-sum), two-sided, by the normal
 * approximation with the tie correction of the variance and a continuity
 * correction of 0.5. The exact distribution is not used: with ties (common in
 * coarse timer readings) it no longer applies, and the corrected
 * approximation is within a few thousandths of it from 4 samples a side.
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitneyResult {
  const n1 = a.length,
    n2 = b.length;
  if (n1 === 0 || n2 === 0) throw new RangeError("mannWhitneyU needs two non-empty samples");
  const all = [...a.map((v) => ({ v, first: true })), ...b.map((v) => ({ v, first: false }))];
  all.sort((x, y) => x.v - y.v);
  const n = n1 + n2;
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && all[j + 1].v === all[i].v) j++;
    const t = j - i + 1;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (all[k].first) rankSumA += rank;
    tieTerm += t ** 3 - t;
    i = j + 1;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mu = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, z: 0, p: 1 };
  const diff = u - mu;
  const z = (Math.sign(diff) * Math.max(0, Math.abs(diff) - 0.5)) / Math.sqrt(variance);
  const p = Math.min(1, Math.max(0, 1 - errorFunction(Math.abs(z) / Math.SQRT2)));
  return { u, z, p };
}
