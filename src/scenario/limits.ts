/**
 * The limits of a scenario, one set for every backend (wasm, model,
 * kernel), checked before any backend runs: a scenario beyond them is a
 * one-line ScenarioError (exit 2) wherever it was going to run, never a
 * WASM trap, a JSON.stringify RangeError or a probe output overflow
 * halfway through.
 */
import { AIO_MAX_RING_EVENTS, AIO_RING_HEADER, IO_EVENT_SIZE, PAGE_SIZE } from "../../assembly/abi/ring.js";
import { RWF_APPEND } from "../../assembly/abi/rwf.js";
import { ScenarioError } from "../contract/errors.js";
import { setupEvents } from "../contract/geometry.js";
import { submitNbytes, type CallStep, type Scenario } from "../contract/scenario.js";
import { possibleCpus } from "../util/possible-cpus.js";
import { checkEventfdNames } from "./eventfd-names.js";
import { checkPipesAndPolls } from "./pipe-poll.js";
import { checkThreadNames } from "./threads.js";

// Steps, names, counts and file size: the ABI's limits, the probe's too.
import {
  MAX_BUF_TOUCH_BYTES,
  MAX_CONTENT_PAGES,
  MAX_EXECUTED_STEPS,
  MAX_MAPPING_CALLS,
  MAX_NAMES,
  MAX_SCENARIO_SEGMENTS,
  MAX_STEPS,
} from "../../assembly/abi/limits.js";

export { MAX_COUNT, MAX_NAMES, MAX_SCENARIO_BYTES, MAX_STEPS } from "../../assembly/abi/limits.js";
/**
 * Ring memory a scenario may model, summed over its io_setup steps at the
 * largest ring each could make. The models hold every ring's bytes (the
 * WASM core in one linear memory of at most 4 GiB), so this bounds their
 * memory; freed rings are not subtracted, the bound must hold before
 * running.
 */
export const MAX_MODELLED_BYTES = 1 << 30;
/**
 * Events a results document may carry (the `data` of io_getevents and
 * user_reap steps): about 26 bytes each in the printed document, so the
 * document stays near 26 MB, well inside the probe's output bound.
 */
export const MAX_RESULT_EVENTS = 1_000_000;
/**
 * Nanoseconds a scenario's io_getevents timeouts may add up to. The models
 * answer a timeout that expires at once; the live kernel really waits it
 * out (2^53-1 ns is 104 days), so every backend refuses more than this, and
 * the probe's watchdog allows each step its timeout on top of its own
 * bound (src/kernel/probe.ts, probe/supervise.c).
 */
export const MAX_TIMEOUT_TOTAL_NS = 60e9;
/**
 * Bytes a scenario's append-mode writes (fd "append" or RWF_APPEND) may
 * add to the test file, summed over its steps at count x nbytes (a
 * vectored block's segments summed). Other writes rewrite one range, but
 * each appended block is new data the live kernel really stores (in
 * memory: the probe's file is a memfd), so every backend refuses more than this.
 */
export const MAX_APPEND_BYTES = 64 * 2 ** 20;
/**
 * Bytes a scenario's reads and writes may ask to move, summed over its
 * steps at count x nbytes: the live kernel copies every one (seconds per
 * 16 GiB here, minutes on an emulated guest), the models only count them.
 */
export const MAX_MOVED_BYTES = 16 * 2 ** 30;

/**
 * Bytes of the largest ring `nr_events` can make on any profile with `cpus`
 * CPUs, 0 if refused. The doubling is done in an unsigned int, as the
 * kernel does: 2^31 and more wrap around to a small count.
 */
export function largestRingBytes(nrEvents: number, cpus: number): number {
  let largest = 0;
  // io_setup refuses rings of more than AIO_MAX_RING_EVENTS events, allocating nothing.
  for (const n of [setupEvents(nrEvents, cpus, false), setupEvents(nrEvents, cpus, true)]) {
    if (n <= 0 || n > AIO_MAX_RING_EVENTS) continue;
    largest = Math.max(largest, Math.ceil((AIO_RING_HEADER + (n + 2) * IO_EVENT_SIZE) / PAGE_SIZE) * PAGE_SIZE);
  }
  return largest;
}

const MiB = (bytes: number) => `${Math.ceil(bytes / 2 ** 20)} MiB`;

/**
 * Refuses a scenario beyond the shared limits. `cpus` is what the backend
 * will model; the verdict uses at least this machine's CPU count, so that
 * one scenario gets the same answer on every backend here.
 */
export function checkScenarioLimits(file: string, scenario: Scenario, cpus: number = scenario.cpus ?? possibleCpus()): void {
  const fail = (step: number | null, field: string | null, msg: string): never => {
    throw new ScenarioError(file, step, field, msg);
  };
  // A repeat's body steps and a fork_calls step's calls count: the probe holds them all.
  const written = scenario.steps.reduce((n, s) => n + 1 + (s.op === "repeat" ? s.steps.length : s.op === "fork_calls" ? s.calls.length : 0), 0);
  if (written > MAX_STEPS) fail(null, "steps", `more than ${MAX_STEPS} steps, counting a repeat's body steps and each fork_calls step's calls`);
  checkEventfdNames(file, scenario);
  checkPipesAndPolls(file, scenario);
  checkThreadNames(file, scenario);
  const geometryCpus = Math.max(cpus, possibleCpus());
  const names = new Set<string>();
  let ringBytes = 0;
  let submitted = 0;
  let asked = 0;
  let slotsRead = 0;
  let waited = 0;
  let appended = 0;
  let moved = 0;
  let segments = 0;
  let executed = 0;
  let mappingCalls = 0;
  let contentPages = 0;
  let bufTouched = 0;
  // One call, made `times` times (a repeat's body step, `prefix` naming it); a loop's "rest" submits take its `blocks` in all.
  const visit = (s: CallStep, i: number, times: number, blocks: number, prefix: string) => {
    const at = (field: string) => prefix + field;
    executed += times;
    if (executed > MAX_EXECUTED_STEPS)
      fail(i, null, `the scenario makes more than ${MAX_EXECUTED_STEPS} calls, a repeat's body counted its times over (a limit every backend shares)`);
    for (const field of ["name", "ctx", "addr", "to", "fd", "resfd"] as const) {
      const v = (s as Record<string, unknown>)[field];
      if (typeof v !== "string" || v === "bogus") continue;
      // io_submit's fd and resfd words are no names.
      if ((field === "fd" && s.op !== "eventfd_read") || (field === "resfd" && (v === "bad" || v === "file"))) continue;
      const name = v.replace(/\+.*$/, "");
      if (!names.has(name) && names.size === MAX_NAMES) fail(i, at(field), `more than ${MAX_NAMES} distinct names (the limit every backend shares)`);
      names.add(name);
    }
    if (s.op === "mmap" && s.file && scenario.tmpfs_bytes !== undefined)
      fail(i, at("file"), "a mapping of the test file on a tmpfs is not modelled: its faults take pages of the tmpfs (map the memfd: no tmpfs_bytes)");
    if (s.op === "io_setup" || s.op === "mmap" || s.op === "mremap") {
      mappingCalls += times;
      if (mappingCalls > MAX_MAPPING_CALLS)
        fail(
          i,
          at("op"),
          `the io_setup, mmap and mremap calls so far number ${mappingCalls}, more than the ${MAX_MAPPING_CALLS} a scenario may make (the live kernel stops a process at vm.max_map_count mappings, which the models do not model; a limit every backend shares)`,
        );
    }
    if (s.op === "fill" || s.op === "peek") {
      contentPages += s.pages;
      if (contentPages > MAX_CONTENT_PAGES)
        fail(
          i,
          at("pages"),
          `the fill and peek steps so far touch ${contentPages} pages, more than the ${MAX_CONTENT_PAGES} a scenario may (a limit every backend shares)`,
        );
    }
    if (s.op === "buf_fill" || s.op === "buf_peek") {
      bufTouched += s.bytes;
      if (bufTouched > MAX_BUF_TOUCH_BYTES)
        fail(
          i,
          at("bytes"),
          `the buf_fill and buf_peek steps so far touch ${MiB(bufTouched)} of the I/O buffer, more than the ${MiB(MAX_BUF_TOUCH_BYTES)} a scenario may (the probe writes and reads them; a limit every backend shares)`,
        );
    }
    if (s.op === "io_submit" && Array.isArray(s.iov)) {
      segments += s.iov.length;
      if (segments > MAX_SCENARIO_SEGMENTS)
        fail(
          i,
          at("iov"),
          `the iovec arrays so far hold ${segments} segments, more than the ${MAX_SCENARIO_SEGMENTS} a scenario may hold (a limit every backend shares)`,
        );
    }
    if (s.op === "io_setup") {
      ringBytes += times * largestRingBytes(s.nr_events, geometryCpus);
      if (ringBytes > MAX_MODELLED_BYTES) {
        fail(
          i,
          at("nr_events"),
          `the io_setup steps so far may model up to ${MiB(ringBytes)} of rings, more than the ${MiB(MAX_MODELLED_BYTES)} a scenario may model (a limit every backend shares)`,
        );
      }
    } else if (s.op === "io_submit") {
      const blocksNow = s.count === "rest" ? blocks : times * Math.max(0, s.count);
      submitted += blocksNow;
      const bytes = blocksNow * submitNbytes(s);
      if (s.cmd === "pread" || s.cmd === "pwrite" || s.cmd === "preadv" || s.cmd === "pwritev") {
        moved += bytes;
        if (moved > MAX_MOVED_BYTES) {
          fail(
            i,
            at("count"),
            `the reads and writes so far may move up to ${MiB(moved)}, more than the ${MiB(MAX_MOVED_BYTES)} a scenario may move (the live kernel copies them; a limit every backend shares)`,
          );
        }
      }
      if ((s.fd === "append" || (s.rw_flags ?? 0) & RWF_APPEND) && (s.cmd === "pwrite" || s.cmd === "pwritev")) {
        appended += bytes;
        if (appended > MAX_APPEND_BYTES) {
          fail(
            i,
            at("count"),
            `the append-mode writes so far may add up to ${MiB(appended)} to the test file, more than the ${MiB(MAX_APPEND_BYTES)} a scenario may write (the live kernel stores them; a limit every backend shares)`,
          );
        }
      }
    } else if (s.op === "io_getevents" || s.op === "io_pgetevents" || s.op === "thread_getevents") {
      // Only a repeat's last iteration is in the results.
      asked += Math.max(0, s.nr);
      // A thread's timeout may be waited out at its join.
      waited += times * (typeof s.timeout_ns === "number" && s.timeout_ns > 0 ? s.timeout_ns : 0);
      if (waited > MAX_TIMEOUT_TOTAL_NS) {
        fail(
          i,
          at("timeout_ns"),
          `the io_getevents timeouts so far add up to ${(waited / 1e9).toFixed(1)} s, more than the ${MAX_TIMEOUT_TOTAL_NS / 1e9} s a scenario may wait (the live kernel waits them out; a limit every backend shares)`,
        );
      }
    } else if (s.op === "user_reap") asked += Math.max(0, s.max);
    // Slots read need no submit behind them; only a repeat's last iteration is in the results.
    else if (s.op === "ring_events") slotsRead += s.count;
  };
  // A fork's call and a fork_calls step's calls are checked as calls, with their fields' prefix.
  for (const [i, s] of scenario.steps.entries()) {
    if (s.op === "repeat") for (const [k, b] of s.steps.entries()) visit(b, i, s.times, s.blocks ?? 0, `steps.${k}.`);
    else if (s.op === "fork_calls") for (const [k, c] of s.calls.entries()) visit(c, i, 1, 0, `calls.${k}.`);
    else if (s.op === "fork") visit(s.call, i, 1, 0, "call.");
    else visit(s, i, 1, 0, "");
  }
  // Every event returned was submitted once, and no step returns more than it asks for.
  const events = Math.min(submitted, asked) + slotsRead;
  if (events > MAX_RESULT_EVENTS) {
    fail(
      null,
      "steps",
      `the results may carry up to ${events} events (${submitted} submitted, ${asked} asked for, ${slotsRead} ring slots read), more than the ${MAX_RESULT_EVENTS} a results document may hold (a limit every backend shares)`,
    );
  }
}
