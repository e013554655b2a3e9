// The first fault any reaper detects, recorded once (CAS on the code) so the
// host can name it: which check, which producer, what was expected, what came.
// Recording a fault also stops the run: every loop checks C_STOP.
import { C_ERROR, C_STOP } from "./layout";
import { wakeAll } from "./wait";

export { E_BAD_HEADER, E_BAD_PRODUCER, E_DUPLICATE, E_LOST, E_TORN } from "../abi/shared-ring-faults";

// Error block fields.
export const ERR_CODE: u32 = 0; // u32
export const ERR_REAPER: u32 = 4; // u32
export const ERR_PRODUCER: u32 = 8; // u32
export const ERR_EXPECTED: u32 = 16; // u64
export const ERR_GOT: u32 = 24; // u64
export const ERR_POSITION: u32 = 32; // u64: ring position of the event

export function fail(base: usize, code: u32, reaper: u32, producer: u32, expected: u64, got: u64, position: u64): void {
  const e = base + C_ERROR;
  if (atomic.cmpxchg<u32>(e + ERR_CODE, 0, code) == 0) {
    store<u32>(e + ERR_REAPER, reaper);
    store<u32>(e + ERR_PRODUCER, producer);
    store<u64>(e + ERR_EXPECTED, expected);
    store<u64>(e + ERR_GOT, got);
    store<u64>(e + ERR_POSITION, position);
  }
  stop(base);
}

/** Stops every producer and reaper loop, waking the sleepers so they see it. */
export function stop(base: usize): void {
  atomic.store<u32>(base + C_STOP, 1);
  wakeAll(base);
}

export function stopped(base: usize): bool {
  return atomic.load<u32>(base + C_STOP) != 0;
}
