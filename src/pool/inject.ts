// Test-only fault injection, so tests can prove the failure paths rather
// than trust them. Never set by the benches or by a default stress run.
//
//   throw       the next task is a "test-throw" task: its worker throws
//   exit        the next task is a "test-exit" task: its worker thread dies
//   skip-seq    (shared ring) a producer skips one sequence number: a loss
//   repeat-seq  (shared ring) a producer repeats one sequence number: a duplicate

export const INJECTIONS = ["throw", "exit", "skip-seq", "repeat-seq"] as const;
export type InjectionKind = (typeof INJECTIONS)[number];

export interface Injection {
  kind: InjectionKind;
  /** Fires once this many tasks have completed. */
  afterTasks: number;
}

/** The test-only task an injection sends, if it is one of the worker-failure kinds. */
export function failingTask(kind: InjectionKind): { kind: "test-throw" | "test-exit" } | null {
  return kind === "throw" ? { kind: "test-throw" } : kind === "exit" ? { kind: "test-exit" } : null;
}
