/**
 * Every lookup strategy; its place here is its WASM number. Adding one = its
 * file here, its AssemblyScript twin assembly/lookup/<name>.ts, and its entry
 * below: the WASM dispatch is generated from this list at build time
 * (scripts/gen-lookup-dispatch.mjs), the benchmarks and tests read it.
 */
import { backPointer } from "./back-pointer.js";
import { fileHash } from "./file-hash.js";
import { hash } from "./hash.js";
import { headerId } from "./header-id.js";
import { listWalk } from "./list-walk.js";
import { remapScan } from "./remap-scan.js";
import { sortedArray } from "./sorted-array.js";
import { tableHeaderId } from "./table-header-id.js";
import type { Question, StrategyDescriptor } from "./types.js";

/** Every lookup strategy (ioctx table lookup and the remap hook's search), in registry order (the WASM strategy numbers). */
// biome-ignore format: one strategy a line, so adding one is adding a line
export const STRATEGIES: readonly StrategyDescriptor[] = [
  listWalk,
  tableHeaderId,
  hash,
  sortedArray,
  remapScan,
  backPointer,
  headerId,
  fileHash,
].map((d, wasmId) => ({ ...d, wasmId }));

/** The strategy of this name; a RangeError names the known ones. */
export function strategy(name: string): StrategyDescriptor {
  const d = STRATEGIES.find((s) => s.name === name);
  if (!d) throw new RangeError(`unknown lookup strategy "${name}" (known: ${STRATEGIES.map((s) => s.name).join(", ")})`);
  return d;
}

/** The strategies that answer `question` (a lookup by id, or the remap hook's search by ring file). */
export function strategiesFor(question: Question): StrategyDescriptor[] {
  return STRATEGIES.filter((s) => s.question === question);
}

/** What the kernel (mainline) uses for each question: the partner of a strategy answering the other one. */
export const KERNEL_STRATEGY: Readonly<Record<Question, string>> = { id: "table-header-id", file: "remap-scan" };
