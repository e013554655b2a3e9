// Independent mode inside one worker: the worker's own modelled process
// (mainline) with its own ring and contexts, driven through the WASM core's
// batch hot paths. One JS call covers BATCH operations, as in bench/ring.ts.
import { WasmProcess } from "../core/wasm-backend.js";
import { PROFILES } from "../contract/profile.js";
import { Prng } from "../util/prng.js";
import type { Mix, WorkTask } from "./tasks.js";

/** Operations per core call; task sizes are multiples of it. */
export const BATCH = 1024;
/** 1000 events -> a 2047-slot ring (2040 request slots): room for a whole batch at any head. */
const RING_EVENTS = 1000;
/** Contexts the lookups draw from (one-page rings), besides the ring's own. */
const LOOKUP_CONTEXTS = 63;
const CONFIG = { cpus: 2, aio_max_nr: 65536, aio_nr: 0, zero_page: true };

export class Workload {
  private readonly proc = new WasmProcess(PROFILES.mainline, CONFIG);
  private readonly ring: number;
  private readonly contexts: number[];
  private readonly ids = new BigUint64Array(BATCH);

  constructor() {
    this.ring = this.setup(RING_EVENTS);
    this.contexts = [this.ring];
    for (let i = 0; i < LOOKUP_CONTEXTS; i++) this.contexts.push(this.setup(1));
  }

  private setup(nrEvents: number): number {
    const r = this.proc.io_setup(nrEvents, "zero");
    if (r.errno !== null) throw new Error(`worker io_setup(${nrEvents}) failed: ${r.errno}`);
    return r.ctx;
  }

  /** Runs the task's operations; throws if the core ever disagrees with what it was asked to do. */
  run(task: WorkTask): number {
    if (!Number.isSafeInteger(task.ops) || task.ops <= 0 || task.ops % BATCH !== 0) {
      throw new RangeError(`ops must be a positive multiple of ${BATCH}, got ${task.ops}`);
    }
    const prng = new Prng(task.seed);
    // Lookup targets for this task: a seeded draw over the live contexts.
    for (let i = 0; i < BATCH; i++) this.ids[i] = BigInt(this.contexts[prng.next() % this.contexts.length]);
    const rounds = task.ops / BATCH;
    for (let i = 0; i < rounds; i++) {
      if (pickRing(task.mix, prng)) this.ringRound();
      else this.lookupRound();
    }
    return task.ops;
  }

  /** BATCH events submitted (completing at once) and reaped in user space. */
  private ringRound(): void {
    const s = this.proc.submitBatch(this.ring, BATCH, 0);
    const r = this.proc.reapBatch(this.ring, BATCH);
    if (s !== BATCH || r !== BATCH) throw new Error(`ring round: submitted ${s}, reaped ${r}, expected ${BATCH} each`);
  }

  private lookupRound(): void {
    const found = this.proc.lookupBatch(this.ids);
    if (found !== BATCH) throw new Error(`lookup round: ${found} of ${BATCH} live ids found`);
  }
}

function pickRing(mix: Mix, prng: Prng): boolean {
  return mix === "ring" || (mix === "mixed" && (prng.next() & 1) === 0);
}
