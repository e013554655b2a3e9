/** Deterministic cost counters are compared exactly: any difference is a change, no statistics. */

export interface CounterChange {
  name: string;
  /** null: the counter is absent on that side. */
  old: number | null;
  new: number | null;
}

/** Every counter whose value differs, including counters present on one side only. */
export function counterChanges(oldCounters: Record<string, number>, newCounters: Record<string, number>): CounterChange[] {
  const names = [...new Set([...Object.keys(oldCounters), ...Object.keys(newCounters)])].sort();
  return names
    .map((name) => ({ name, old: oldCounters[name] ?? null, new: newCounters[name] ?? null }))
    .filter((c) => c.old !== c.new);
}

export function formatCounterChanges(changes: readonly CounterChange[]): string {
  return changes.map((c) => `${c.name} ${c.old ?? "absent"} -> ${c.new ?? "absent"}`).join(", ");
}
