// Where reaped user data goes, and the scratch area the facade reads
// variable-size outputs from (through the exported memory, at scratch_ptr()).
// Syscall exports record data into scratch as f64 (user data stays below
// 2^53; io_getevents records (data, res) pairs); batch exports fold the data
// into a checksum instead, so their loops allocate nothing and the reads
// cannot be optimised away.

import { IO_EVENT_SIZE } from "./abi/ring";

let scratch = new ArrayBuffer(4096);
let recording = true;
let recorded: i32 = 0;
let checksum: u64 = 0;

/** Start of the scratch area; it moves when it grows, so read it after each call. */
export function scratch_ptr(): usize {
  return changetype<usize>(scratch);
}

/** Makes room for `bytes` in the scratch area (content not kept) and returns its start. */
export function scratch_reserve(bytes: i32): usize {
  if (bytes > scratch.byteLength) scratch = new ArrayBuffer(max(bytes, scratch.byteLength * 2));
  return changetype<usize>(scratch);
}

/** Sum of every user data value the batch exports read since reset, modulo 2^64. */
export function data_checksum(): u64 {
  return checksum;
}

export function reset_checksum(): void {
  checksum = 0;
}

/** Next values go to scratch slots 0, 1, ... */
export function record_into_scratch(): void {
  recording = true;
  recorded = 0;
}

/** Next values only feed the checksum. */
export function fold_into_checksum(): void {
  recording = false;
}

@inline export function sink(value: u64): void {
  if (recording) record(<f64>value);
  else checksum += value;
}

/**
 * sink() of the `n` u64 values at `ptr`, `ptr + stride`, ...: the reap of a
 * run of events. The mode is checked once per run, not per value.
 */
@inline export function sink_run(ptr: usize, n: u32, stride: usize): void {
  const end = ptr + <usize>n * stride;
  if (recording) {
    for (; ptr < end; ptr += stride) record(<f64>load<u64>(ptr));
    return;
  }
  // Two values a turn into two sums (addition mod 2^64 does not care about
  // the order), the odd one after: half the loop's own instructions per value.
  let sum = checksum;
  let other: u64 = 0;
  const pairsEnd = ptr + <usize>(n >> 1) * (2 * stride);
  for (; ptr < pairsEnd; ptr += 2 * stride) {
    sum += load<u64>(ptr);
    other += load<u64>(ptr + stride);
  }
  if (n & 1) sum += load<u64>(ptr);
  checksum = sum + other;
}

/**
 * The `n` io_events at `ptr`: recorded as (data, res) pairs, or their data
 * folded into the checksum as sink_run does (the mode is checked once).
 */
@inline export function sink_events(ptr: usize, n: u32): void {
  if (recording) {
    const end = ptr + <usize>n * IO_EVENT_SIZE;
    for (; ptr < end; ptr += IO_EVENT_SIZE) {
      record(<f64>load<u64>(ptr));
      record(<f64>load<i64>(ptr, 16));
    }
    return;
  }
  sink_run(ptr, n, IO_EVENT_SIZE);
}

/** Appends `value` to the scratch area (after record_into_scratch). */
export function record(value: f64): void {
  const at = recorded << 3;
  if (at + 8 > scratch.byteLength) {
    const grown = new ArrayBuffer(scratch.byteLength * 2);
    memory.copy(changetype<usize>(grown), changetype<usize>(scratch), at);
    scratch = grown;
  }
  store<f64>(changetype<usize>(scratch) + at, value);
  recorded++;
}
