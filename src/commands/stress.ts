// `aio-ring-bench stress` (npm run stress): the shared-ring mode at scale.
// Completer workers and reaper workers share one ring; every event's user
// data is checked for exactly-once, in-order delivery per producer. Prints
// events/s and the verdict and writes a JSON record; a fault, a failed
// worker or Ctrl-C still writes what completed (atomically).
import { availableParallelism } from "node:os";
import { UserError } from "../contract/errors.js";
import { machineInfo, toolInfo } from "../bench/machine.js";
import { DEFAULT_BATCH, DEFAULT_NR_EVENTS, SharedRingRunError, ringSlotsFor, runSharedRing, type SharedRingRunResult } from "../pool/shared-ring-run.js";
import { INJECTIONS } from "../pool/inject.js";
import { ExactlyOnceError } from "../pool/shared-ring.js";
import { ensureStateDir, stateDir } from "../bench/state.js";
import { writeOutput } from "../util/files.js";
import { checkOutputs } from "../util/output-plan.js";
import { interruptOnSigint } from "../util/interrupt.js";
import { errorLine } from "../util/printable.js";
import { Progress } from "../util/progress.js";
import { noPositionals, parseCommand, type CommandSpec } from "./args.js";
import { choiceFlag, intFlag, pathFlag } from "./flag-values.js";
import { join } from "node:path";

/** For the help text: the record goes to stress-last.json in the state folder (state.ts). */
export const STRESS_FILE = ".aio-ring-bench/stress-last.json";
const DEFAULT_EVENTS = 100_000_000;

export const spec: CommandSpec = {
  name: "stress",
  usage: "aio-ring-bench stress [options]      (npm run stress -- [options])",
  description: `One AIO completion ring in shared WASM memory; completer workers produce
events, reaper workers reap them in user space. Every event carries its
producer and sequence number and must arrive exactly once, in order per
producer; the first violation stops the run and names producer, expected
and got. Writes the record to ${STRESS_FILE}.`,
  flags: [
    { name: "events", type: "string", arg: "N", help: `events in the run (default ${DEFAULT_EVENTS}; 5M, 1e8 and 1_000 work)` },
    { name: "producers", type: "string", arg: "P", help: `completer workers (default: cores = ${availableParallelism()})` },
    { name: "reapers", type: "string", arg: "R", help: "reaper workers (default: cores)" },
    { name: "batch", type: "string", arg: "B", help: `events per reservation / claim (default ${DEFAULT_BATCH})` },
    {
      name: "nr-events",
      type: "string",
      arg: "N",
      help: `io_setup's nr_events; the ring gets the kernel's geometry\n(default ${DEFAULT_NR_EVENTS}, at most 262144)`,
    },
    { name: "json", type: "string", arg: "FILE", help: "also write the record to FILE" },
    {
      section: "testing only (proves the failure paths; see src/pool/inject.ts)",
      name: "inject",
      type: "string",
      arg: "KIND",
      help: "after a couple of tasks: throw (a worker throws), exit (a\nworker thread dies), skip-seq (a producer skips a sequence\nnumber), repeat-seq (a producer repeats one)",
    },
  ],
  exitCodes: `0 exactly-once, 1 a delivery fault or a failed worker, 2 bad input,
130 interrupted (what completed is still written)`,
};

interface StressRecord {
  schema: "aio-ring-bench/stress@1";
  tool: { name: string; version: string };
  started: string;
  machine: ReturnType<typeof machineInfo>;
  config: { events: number; producers: number; reapers: number; batch: number; nr_events: number };
  result: SharedRingRunResult | null;
  error: string | null;
  /** What failed: a delivery check, or a worker (threw or died). */
  error_kind: "delivery-fault" | "worker-failure" | null;
  interrupted: boolean;
}

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  noPositionals("stress", positionals);
  const cores = availableParallelism();
  const config = {
    events: intFlag("events", values.events, DEFAULT_EVENTS, 1, 2 ** 40),
    producers: intFlag("producers", values.producers, cores, 1, 256),
    reapers: intFlag("reapers", values.reapers, cores, 1, 256),
    batch: intFlag("batch", values.batch, DEFAULT_BATCH, 1, 65536),
    nr_events: intFlag("nr-events", values["nr-events"], DEFAULT_NR_EVENTS, 1, 1 << 18),
  };
  const slots = ringSlotsFor(config.nr_events);
  if (config.batch > slots) throw new UserError(`--batch: ${config.batch} is more than the ring's ${slots} slots (nr_events ${config.nr_events})`);
  const json = pathFlag("json", values.json);
  // Outputs checked before the run: a bad path costs nothing.
  ensureStateDir();
  const lastFile = join(stateDir(), "stress-last.json");
  checkOutputs([
    { name: "the state folder's stress-last.json", path: lastFile, implicit: true },
    ...(json === undefined ? [] : [{ name: "--json", path: json }]),
  ]);
  const inject = choiceFlag("inject", values.inject, INJECTIONS, undefined);
  const record: StressRecord = {
    schema: "aio-ring-bench/stress@1",
    tool: toolInfo(),
    started: new Date().toISOString(),
    machine: machineInfo(),
    config,
    result: null,
    error: null,
    error_kind: null,
    interrupted: false,
  };

  const interrupt = interruptOnSigint("\ninterrupted: stopping the workers, then writing what completed (Ctrl-C again to quit now)");
  console.log(
    `stress: ${fmtCount(config.events)} events; producers ${config.producers}, reapers ${config.reapers}, batch ${config.batch}, nr_events ${config.nr_events}`,
  );
  const progress = new Progress("stress", config.events);
  let code = 0;
  try {
    record.result = await runSharedRing({
      events: config.events,
      producers: config.producers,
      reapers: config.reapers,
      batch: config.batch,
      nrEvents: config.nr_events,
      signal: interrupt.signal,
      inject: inject === undefined ? undefined : { kind: inject, afterTasks: 2 },
      onProgress: (released, total) => progress.update(released, `${fmtCount(released)} / ${fmtCount(total)} events checked`),
    });
    record.interrupted = record.result.verdict === "interrupted";
    code = record.interrupted ? 130 : 0;
  } catch (e) {
    if (!(e instanceof SharedRingRunError)) throw e;
    record.result = e.partial;
    record.error = e.message;
    record.error_kind = e.cause instanceof ExactlyOnceError ? "delivery-fault" : "worker-failure";
    record.interrupted = interrupt.signal.aborted;
    code = 1;
  } finally {
    interrupt.dispose();
    progress.done();
  }
  const text = JSON.stringify(record, null, 1) + "\n";
  const written: string[] = [];
  for (const [path, flag] of [
    [lastFile, undefined],
    [json, "--json"],
  ] as const) {
    if (path === undefined) continue;
    try {
      writeOutput(path, text, flag);
      written.push(path);
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      console.error(errorLine(e.message));
      code = code || 2;
    }
  }
  report(record, written);
  return code;
}

function report(record: StressRecord, written: string[]): void {
  const r = record.result!;
  const seconds = r.wallNs / 1e9;
  console.log(
    `events checked: ${fmtCount(r.released)} of ${fmtCount(r.events)} in ${seconds.toFixed(2)} s: ${fmtCount(r.eventsPerSec)} events/s ` +
      `(${fmtCount(r.eventsPerSec / r.reapers)}/s per reaper; ring of ${r.nr} slots; ${r.sleeps} sleeps; ${r.tasks} tasks)`,
  );
  if (record.error) {
    console.log(`verdict: FAILED (${record.error_kind}): ${record.error}`);
  } else if (record.interrupted) {
    console.log(`verdict: interrupted; the ${fmtCount(r.released)} events checked so far arrived exactly once, in order per producer`);
  } else {
    console.log(
      `verdict: exactly-once: all ${fmtCount(r.events)} events delivered once, in order per producer (delivered per producer: ${r.delivered.map(fmtCount).join(", ")})`,
    );
  }
  console.log(written.length ? `record: ${written.join(" and ")}` : "record: not written (see the errors above)");
}

function fmtCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}
