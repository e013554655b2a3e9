// Host side of build/shared-ring.wasm (assembly/shared-ring/): creates the
// shared memory, lays the ring out in it, and reads back the verdict. The
// main thread and every worker hold a SharedRing over the same memory; only
// workers call produce/reap (they may sleep in memory.atomic.wait).
import { readFileSync } from "node:fs";
import { SHARED_RING_MEMORY, type SharedRingExports } from "../contract/wasm/shared-ring-exports.js";
import { E_BAD_HEADER, E_BAD_PRODUCER, E_DUPLICATE, E_LOST, E_TORN } from "../../assembly/abi/shared-ring-faults.js";

/** Where the ring's state starts: page 1 of the memory, clear of anything the module's own runtime could place at 0. */
const BASE = 65536;
const WASM_PAGE = 65536;
/** The host's memory may not exceed the import's limit. */
const MAX_PAGES = SHARED_RING_MEMORY.maximumPages;

/** The checks of assembly/shared-ring/error.ts, by code. */
const FAULTS: Record<number, string> = {
  [E_DUPLICATE]: "duplicate or out of order",
  [E_LOST]: "lost events",
  [E_BAD_PRODUCER]: "unknown producer",
  [E_TORN]: "torn event (obj != ~data)",
  [E_BAD_HEADER]: "bad ring header",
};

export interface SharedRingGeometry {
  /** Ring slots (the header's nr). */
  nr: number;
  producers: number;
  reapers: number;
  /** Events per reservation (producers) and per claim (reapers). */
  batch: number;
  /** Events in the whole run. */
  total: number;
}

export interface SharedRingInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  geometry: SharedRingGeometry;
}

export interface RingFault {
  kind: string;
  reaper: number;
  producer: number;
  expected: number;
  got: number;
  position: number;
}

/** A delivery check failed: names the producer, the sequence number expected and the one that came. */
export class ExactlyOnceError extends Error {
  constructor(readonly fault: RingFault) {
    // A fault of the whole ring (producer -1) says everything in its kind; an event's fault names who and what.
    super(
      fault.producer < 0
        ? `shared ring: ${fault.kind}`
        : `shared ring: ${fault.kind}: producer ${fault.producer} expected seq ${fault.expected}, got ${fault.got} ` +
            `(ring position ${fault.position}, reaper ${fault.reaper})`,
    );
    this.name = "ExactlyOnceError";
  }
}

let compiled: WebAssembly.Module | null = null;

/** build/shared-ring.wasm, compiled once per process (workers get it posted). */
export function sharedRingModule(): WebAssembly.Module {
  compiled ??= new WebAssembly.Module(readFileSync(new URL("../../../build/shared-ring.wasm", import.meta.url)));
  return compiled;
}

export class SharedRing {
  private readonly x: SharedRingExports;
  readonly memory: WebAssembly.Memory;
  readonly geometry: SharedRingGeometry;

  private constructor(init: SharedRingInit) {
    this.memory = init.memory;
    this.geometry = init.geometry;
    this.x = new WebAssembly.Instance(init.module, { env: { memory: init.memory } }).exports as unknown as SharedRingExports;
  }

  /** A new ring in fresh shared memory, ready for producers and reapers. */
  static create(geometry: SharedRingGeometry): SharedRing {
    const { nr, producers, reapers, batch, total } = geometry;
    checkInt("nr", nr, 1, 1 << 22);
    checkInt("producers", producers, 1, 1 << 16);
    checkInt("reapers", reapers, 1, 1 << 16);
    checkInt("batch", batch, 1, nr);
    checkInt("total", total, 1, Number.MAX_SAFE_INTEGER);
    const module = sharedRingModule();
    const probe = new WebAssembly.Instance(module, { env: { memory: new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }) } });
    const bytes = BASE + (probe.exports as unknown as SharedRingExports).bytes_needed(nr, producers, reapers, batch);
    const pages = Math.ceil(bytes / WASM_PAGE);
    if (pages > MAX_PAGES) throw new RangeError(`shared ring needs ${pages} wasm pages, more than the module's ${MAX_PAGES}`);
    const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    const ring = new SharedRing({ module, memory, geometry });
    ring.x.init(BASE, nr, producers, batch, total);
    return ring;
  }

  /** The same ring, seen from another thread (a worker). */
  static attach(init: SharedRingInit): SharedRing {
    return new SharedRing(init);
  }

  /** What a worker needs to attach (structured-cloneable: the memory is shared, not copied). */
  get init(): SharedRingInit {
    return { module: sharedRingModule(), memory: this.memory, geometry: this.geometry };
  }

  produce(producer: number, firstSeq: number, count: number): number {
    return this.x.produce(BASE, producer, firstSeq, count);
  }

  reap(reaper: number, max: number): number {
    return this.x.reap(BASE, reaper, max);
  }

  /** Makes every producer and reaper return at its next check. */
  stop(): void {
    this.x.stop(BASE);
  }

  /** Sleeps this thread's instance has taken. */
  sleeps(): number {
    return this.x.sleeps();
  }

  /** Events published (tail side) and checked-and-released (head side), counted from the start. */
  progress(): { published: number; released: number } {
    return { published: this.x.published(BASE), released: this.x.released(BASE) };
  }

  /** Byte offset of the ring (header, then nr io_events) in `memory`. */
  get ringOffset(): number {
    return this.x.ring_ptr(BASE);
  }

  /** The ring header as the kernel lays it out. */
  header(): { id: number; nr: number; head: number; tail: number; magic: number; compat_features: number; incompat_features: number; header_length: number } {
    const [id, nr, head, tail, magic, compat_features, incompat_features, header_length] = new Uint32Array(this.memory.buffer, this.ringOffset, 8);
    return { id, nr, head, tail, magic, compat_features, incompat_features, header_length };
  }

  /** Per producer: the next sequence number the reapers expect, i.e. events delivered so far. */
  delivered(): number[] {
    return Array.from(new BigUint64Array(this.memory.buffer, this.x.expected_ptr(BASE), this.geometry.producers), Number);
  }

  /** The first fault a reaper recorded, or null. */
  fault(): RingFault | null {
    const p = this.x.error_ptr(BASE);
    const code = new Uint32Array(this.memory.buffer, p, 3);
    if (code[0] === 0) return null;
    const wide = new BigUint64Array(this.memory.buffer, p + 16, 3);
    return {
      kind: FAULTS[code[0]] ?? `fault ${code[0]}`,
      reaper: code[1],
      producer: code[2],
      expected: Number(wide[0]),
      got: Number(wide[1]),
      position: Number(wide[2]),
    };
  }
}

function checkInt(what: string, v: number, lo: number, hi: number): void {
  if (!Number.isSafeInteger(v) || v < lo || v > hi) throw new RangeError(`${what} must be an integer in [${lo}, ${hi}], got ${v}`);
}
