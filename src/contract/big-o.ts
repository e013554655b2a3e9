/** The complexity curves a series is fitted against, slowest-growing first: the run document's big_o values (src/stats/complexity.ts fits them). */
export const BIG_O = ["O(1)", "O(log N)", "O(N)", "O(N log N)", "O(N^2)"] as const;
export type BigO = (typeof BIG_O)[number];
