/**
 * The lookup-strategy operations table, shaped like fio's ioengine ops: one
 * struct of operations per strategy, the world calls them at fixed points.
 */
import type { ContextSet } from "./context-set.js";

/** Which hot-path question a strategy answers. */
export type Question = "id" | "file";

interface OpsCommon {
  readonly name: string;
  /** Index every live context of the set, oldest first. Uncounted: setup, not a hot path. */
  build(): void;
  /** ctx was just created and is already live in the set (io_setup). */
  insert(ctx: number): void;
  /** ctx is about to be destroyed; its fields are still intact (io_destroy). */
  remove(ctx: number): void;
  /** ctx's ring moved: set.userId[ctx] already holds the new address (after the hook). */
  move(ctx: number, oldUserId: number): void;
}

/** Context from id: lookup_ioctx(ctx_id), on every syscall that takes a ctx id. */
export interface IdLookupOps extends OpsCommon {
  readonly question: "id";
  /** The live context whose user_id is userId, or -1 (EINVAL). Charges set.visitedId. */
  findById(userId: number): number;
}

/** Context from ring file: aio_ring_remap(vma), the mremap hook. */
export interface FileLookupOps extends OpsCommon {
  readonly question: "file";
  /**
   * The live context whose ring file is `file`, or -1. vmaStart is the moved
   * mapping's new start (the hook gets the VMA). Charges set.visitedFile.
   */
  findByFile(file: number, vmaStart: number): number;
}

export type LookupOps = IdLookupOps | FileLookupOps;

/** What a strategy's file declares; the registry adds its WASM number. */
export interface StrategyDefinition {
  readonly name: string;
  readonly question: Question;
  /** Claimed cost of one find, in live contexts N (the benchmarks fit against it). */
  readonly complexity: "O(1)" | "O(log N)" | "O(N)";
  readonly description: string;
  readonly create: (set: ContextSet) => LookupOps;
}

/** A lookup strategy as registered: its name, the question it answers, its claimed complexity, how to build it, and its WASM strategy number. */
export interface StrategyDescriptor extends StrategyDefinition {
  /** The strategy number of the WASM exports: its place in the registry (assembly/lookup/dispatch.ts is generated from it). */
  readonly wasmId: number;
}
