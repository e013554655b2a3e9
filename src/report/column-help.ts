// What each column of the bench table means, apart from the table code so
// that `bench --help` prints it without loading the statistics.

/** What each column means: printed by `bench --help` and in the README. */
export const COLUMN_HELP = `columns of the bench table:
  (suite)   the first column, headed by the suite's name: the case measured;
            rows of one case are consecutive, N growing downwards
  n, dist, workers, ...  parameters that vary within the suite (the others are
            on the suite's title line)
  median    median time per operation over all samples (a sample is one timed
            batch divided by its operations)
  ±95%      half-width of the 95% confidence interval of that median, in percent
            of it (the wider side; bootstrap over the run's rounds)
  vs ref    median / median of the suite's reference row with the same
            parameters (named on the title line; the reference shows "ref")
  nodes/op, slots/op, ...  deterministic work counters per operation (all of
            them are in the run JSON); SI suffixes: k = 1e3, M = 1e6, G = 1e9
  fit:      complexity over N per case, fitted to the work counter, and
            [time ...] the fit of the median time where it differs (no counter:
            time only); each fit is a + b*f(N) with an intercept, by
            least relative squares; a curve must at least double over the range
            to beat O(1); "inconclusive (N, N log N)" when several fit about
            equally well (within 1.5x of the best RMS error; beside a work fit
            just "inconclusive", every candidate is in the run JSON)`;
