import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";

/** Possible CPUs as the kernel counts them for ring geometry (/sys/devices/system/cpu/possible). */
export function possibleCpus(): number {
  try {
    const text = readFileSync("/sys/devices/system/cpu/possible", "utf8").trim();
    let count = 0;
    for (const part of text.split(",")) {
      const [lo, hi] = part.split("-").map(Number);
      count += (hi ?? lo) - lo + 1;
    }
    if (Number.isInteger(count) && count > 0) return count;
  } catch {
    // Not Linux, or /sys not mounted: the scheduler's view is the best guess.
  }
  return availableParallelism();
}
