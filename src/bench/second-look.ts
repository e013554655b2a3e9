/**
 * A second look at targets the run left undecided, as tachometer samples
 * until its intervals clear the horizons: a host's slow spell during the
 * run widens an interval across a target's line, and rounds taken at
 * another moment settle it. The cases behind an undecided target run the
 * run's rounds again, and so does every case that shares a target with one
 * of them, so that ratios keep pairing rounds; each target over those cases
 * is then judged on both looks at targetConfidence(2).
 */
import type { Headline } from "../contract/suite.js";

/** Ids of the results to run again: those behind an undecided target, closed over the targets they share. */
export function secondLookIds(lines: readonly Headline[]): Set<string> {
  const ids = new Set(lines.filter((h) => h.undecided).flatMap((h) => h.cases ?? []));
  for (let grew = ids.size > 0; grew; ) {
    grew = false;
    for (const h of lines) {
      const cases = h.cases ?? [];
      if (!cases.some((c) => ids.has(c)) || cases.every((c) => ids.has(c))) continue;
      for (const c of cases) ids.add(c);
      grew = true;
    }
  }
  return ids;
}
