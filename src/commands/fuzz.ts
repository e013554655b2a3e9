// `aio-ring-bench fuzz [--against wasm|kernel] ...`
import { join } from "node:path";
import { UserError } from "../contract/errors.js";
import { DEFAULT_KERNEL_FUZZ_SCENARIOS, runKernelFuzz, type KernelFuzzOptions, type KernelFuzzReport } from "../fuzz/kernel-fuzz.js";
import { resolveKernel } from "../kernel/guest-kernels.js";
import { HOST } from "../scenario/kernels.js";
import { possibleCpus } from "../util/possible-cpus.js";
import { formatDifference } from "../fuzz/outcome.js";
import { kernelAvailability } from "../kernel/probe.js";
import { DEFAULT_FUZZ_OPS, DEFAULT_FUZZ_SEED, fuzzProcesses } from "../scenario/fuzz.js";
import { checkOutput, makeOutputDir, writeOutput } from "../util/files.js";
import { interruptOnSigint } from "../util/interrupt.js";
import { Progress } from "../util/progress.js";
import { noPositionals, parseCommand, type CommandSpec } from "./args.js";
import { choiceFlag, intFlag, pathFlag } from "./flag-values.js";

export const spec: CommandSpec = {
  name: "fuzz",
  usage: "aio-ring-bench fuzz [--against wasm|kernel] [options]",
  description: `--against wasm (default): random call sequences on the TS model and the WASM core
in lockstep, every profile; each divergence is reported with a scenario file that
reproduces it.

--against kernel: random scenario programs (rings and anonymous mappings side by
side, holes, whole and partial ring moves, multi-VMA moves, shrink and grow,
fork_mremap, forked children that exit holding contexts, destroy after moves, id
reuse, full rings, slot exhaustion, user reaping, the aio-nr limit, pipes with
poll blocks and their io_cancel, bad arguments)
run on the live kernel through the probe and on both models as mainline. Each
distinct disagreement is confirmed by a second run alone, shrunk to a small
program that still disagrees the same way, printed as one line and written to DIR
with the kernel's answer next to it. Ends with a table of op x outcome reached on
the kernel and the outcomes never reached.`,
  flags: [
    { name: "against", type: "string", arg: "T", help: "wasm or kernel (default wasm)" },
    { name: "ops", type: "string", arg: "N", help: `wasm: operations to run (default ${DEFAULT_FUZZ_OPS}, at most 100000000)` },
    { name: "scenarios", type: "string", arg: "N", help: `kernel: programs to run (default ${DEFAULT_KERNEL_FUZZ_SCENARIOS}, at most 1000000)` },
    { name: "seed", type: "string", arg: "S", help: "PRNG seed, an unsigned 32-bit integer (default 1)" },
    { name: "out", type: "string", arg: "DIR", help: "where reproducers are written (kernel: NAME.json and\nNAME.kernel.json per disagreement)" },
    {
      name: "lanes",
      type: "string",
      arg: "J",
      help: "kernel: probes running side by side (default 12, 1 to 64; with a\nguest kernel: guests side by side, default 2)",
    },
    {
      name: "kernel",
      type: "string",
      arg: "K",
      help: "kernel: host (default, the running kernel, held against mainline) or a\nguest under QEMU (6.1, 6.12, a Debian package, a vmlinuz path), held\nagainst the profile measured on its series (v6.1, v6.12)",
    },
    { name: "cpus", type: "string", arg: "N", help: "kernel: the guest's CPUs (default: this machine's)" },
    { name: "shrink-budget", type: "string", arg: "K", help: "kernel: kernel runs the shrinker may spend per disagreement\n(default 1500)" },
    {
      name: "no-zero-page",
      type: "boolean",
      help: "kernel: programs as on a kernel whose read faults allocate pages\n(FINDINGS 33); emulated where the kernel maps the zero page",
    },
  ],
  exitCodes: `0 no divergence or disagreement, 1 some found (or a kernel-side crash),
2 bad input or the kernel backend is unavailable, 130 stopped by Ctrl-C (after the
report of what ran)`,
};

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  noPositionals("fuzz", positionals);
  const against = choiceFlag("against", values.against, ["wasm", "kernel"], "wasm");
  const seed = intFlag("seed", values.seed, DEFAULT_FUZZ_SEED, 0, 2 ** 32 - 1);
  const out = pathFlag("out", values.out);
  // A reproducer that cannot be written is found out before the run, not after.
  if (out !== undefined) {
    makeOutputDir(out, "--out");
    checkOutput(join(out, "reproducer.json"), "--out");
  }
  if (against === "kernel") {
    for (const f of ["ops"] as const) if (values[f] !== undefined) throw new UserError(`--${f} is for --against wasm; use --scenarios`);
    const kernel = (values.kernel as string | undefined) ?? HOST;
    if (kernel === HOST && values.cpus !== undefined) throw new UserError("--cpus is for a guest --kernel");
    return fuzzKernel({
      scenarios: intFlag("scenarios", values.scenarios, DEFAULT_KERNEL_FUZZ_SCENARIOS, 1, 1_000_000),
      seed,
      lanes: intFlag("lanes", values.lanes, kernel === HOST ? 12 : 2, 1, 64),
      kernel,
      cpus: intFlag("cpus", values.cpus, possibleCpus(), 1, 64),
      shrinkBudget: intFlag("shrink-budget", values["shrink-budget"], 1500, 1, 100_000),
      out,
      zeroPage: values["no-zero-page"] === true ? false : undefined,
    });
  }
  for (const f of ["scenarios", "lanes", "shrink-budget", "kernel", "cpus", "no-zero-page"] as const)
    if (values[f] !== undefined) throw new UserError(`--${f} is for --against kernel`);
  const ops = intFlag("ops", values.ops, DEFAULT_FUZZ_OPS, 1, 100_000_000);
  const progress = new Progress("fuzz", ops);
  const started = performance.now();
  // One process at a time, with a turn of the event loop every 50 ms so that Ctrl-C is heard: it ends the run with the report so far.
  const interrupt = interruptOnSigint("\ninterrupted: the report of the operations run (Ctrl-C again to quit at once)");
  const run = fuzzProcesses({ ops, seed });
  let r = run.next();
  try {
    for (let turn = performance.now(); !r.done && !interrupt.signal.aborted; r = run.next()) {
      progress.update(r.value.ops);
      if (performance.now() - turn > 50) {
        await new Promise((resolve) => setImmediate(resolve));
        turn = performance.now();
      }
    }
  } finally {
    interrupt.dispose();
    progress.done();
  }
  const report = r.value;
  const seconds = (performance.now() - started) / 1000;
  const stopped = r.done ? "" : `; interrupted after ${report.ops} of ${ops} ops`;
  console.log(`fuzz: seed ${seed}: ${report.ops} ops in ${report.processes} processes, ${report.divergences} divergences (${seconds.toFixed(1)} s)${stopped}`);
  report.examples.forEach((d, i) => {
    console.log(`divergence ${i + 1}: profile ${d.profile}, step ${d.step}:\n  model: ${JSON.stringify(d.model)}\n  wasm:  ${JSON.stringify(d.wasm)}`);
    if (out !== undefined) {
      const file = join(out, `${d.reproducer.name}.json`);
      writeOutput(file, JSON.stringify(d.reproducer, null, 2) + "\n", "--out");
      console.log(`  reproducer: ${file}`);
    }
  });
  if (!r.done) return 130;
  return report.divergences > 0 ? 1 : 0;
}

interface KernelFlags {
  scenarios: number;
  seed: number;
  lanes: number;
  shrinkBudget: number;
  out: string | undefined;
  kernel: string;
  cpus: number;
  zeroPage: false | undefined;
}

async function fuzzKernel(f: KernelFlags): Promise<number> {
  let guest: KernelFuzzOptions["guest"];
  if (f.kernel === HOST) {
    const avail = kernelAvailability();
    if (!avail.available) throw new UserError(`kernel backend unavailable: ${avail.reason}`);
  } else guest = { kernel: await resolveKernel(f.kernel), cpus: f.cpus };
  const progress = new Progress("fuzz --against kernel", f.scenarios);
  // Running the programs, then shrinking each disagreement: each phase its own percentage and rate.
  let current = "run";
  const interrupt = interruptOnSigint("\ninterrupted: answering the programs on the kernel, then the report (Ctrl-C again to quit at once)");
  const report = await runKernelFuzz({
    signal: interrupt.signal,
    scenarios: f.scenarios,
    seed: f.seed,
    lanes: f.lanes,
    shrinkBudget: f.shrinkBudget,
    guest,
    zeroPage: f.zeroPage,
    onProgress: (done, total, phase) => {
      if (phase !== current) {
        current = phase;
        progress.restart(total);
      }
      progress.update(done, phase === "run" ? `${done}/${total} programs` : `${phase} ${done + 1}/${total}`);
    },
  }).finally(() => interrupt.dispose());
  progress.done();
  printKernelReport(report, f.out);
  if (report.interrupted) return 130;
  return report.findings.length > 0 || report.crashes.length > 0 ? 1 : 0;
}

/** Prints the run's summary, one line per disagreement and crash, and the coverage table; writes reproducers. */
export function printKernelReport(report: KernelFuzzReport, out: string | undefined): void {
  const rate = report.scenarios / report.seconds;
  console.log(
    `fuzz --against kernel: seed ${report.seed}: ${report.scenarios} scenarios, ${report.steps} steps on ${report.kernel ?? "the kernel"} (read faults: ${report.readFaults}; test file: ${report.tmpfs ? "half on a tmpfs" : "memfd only, no tmpfs without root"}) ` +
      `in ${report.seconds.toFixed(1)} s (${rate.toFixed(0)} scenarios/s, ${(report.steps / report.seconds).toFixed(0)} steps/s); ` +
      `${report.findings.length + report.unshrunk} distinct disagreements, ${report.crashes.length} crashes${report.interrupted ? "; interrupted: the rest of the run was not made" : ""}`,
  );
  report.findings.forEach((d, i) => {
    // "model, wasm" names the models; a file name gets them joined by "+" (no comma or space to quote in a shell).
    const tag = `${String(i + 1).padStart(2, "0")}-${d.model.split(", ").join("+")}-${d.difference.op}-${d.difference.field}`;
    if (d.shrunk === null) {
      console.log(`  ${tag}: not reproduced when run again alone (${d.signature}; ${d.programs} scenarios)`);
      if (out) writeOutput(join(out, `${tag}.unconfirmed.json`), JSON.stringify(d.original, null, 2) + "\n");
      return;
    }
    console.log(
      `  ${tag}: ${formatDifference(d.difference, d.model)} (${d.programs} scenarios; shrunk ${d.original.steps.length} -> ${d.shrunk.steps.length} steps in ${d.tried} kernel runs)`,
    );
    if (out) {
      // The reproducer names the profile the models ran as, so `scenario FILE --backend all --kernel K` replays the comparison.
      const profile = report.profile ?? d.shrunk.profile;
      writeOutput(join(out, `${tag}.json`), JSON.stringify({ ...d.shrunk, name: tag, profile }, null, 2) + "\n");
      writeOutput(join(out, `${tag}.kernel.json`), JSON.stringify({ ...d.kernelAnswer, name: tag }, null, 2) + "\n");
    }
  });
  if (report.unshrunk > 0) console.log(`  ... and ${report.unshrunk} more distinct disagreements (not shrunk)`);
  report.crashes.forEach((c, i) => {
    console.log(`  crash ${i + 1}: ${c.message}${c.step === null ? "" : ` (step ${c.step})`}`);
    if (out) writeOutput(join(out, `crash-${i + 1}.json`), JSON.stringify(c.program, null, 2) + "\n");
  });
  if (report.findings.length > 0) console.log(`  shrinking took ${report.shrinkSeconds.toFixed(1)} s`);
  console.log(`\nop x outcome on the kernel (count of steps; MISSING: named by the spec or FINDINGS, never reached)\n${report.coverage.format()}`);
  const missing = report.coverage.missing();
  console.log(missing.length === 0 ? "every expected outcome reached" : `never reached: ${missing.join(", ")}`);
}
