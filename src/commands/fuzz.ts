// `aio-ring-bench fuzz --ops N --seed S [--out DIR]`
import { join } from "node:path";
import { runFuzz } from "../scenario/fuzz.js";
import { checkOutput, writeOutput } from "../util/files.js";
import { Progress } from "../util/progress.js";
import { intFlag, noPositionals, parseCommandArgs, pathFlag } from "./args.js";

const HELP = `usage: aio-ring-bench fuzz [--ops N] [--seed S] [--out DIR]

Runs random call sequences on the TS model and the WASM core in lockstep, every
profile, and reports divergences. Each divergence is written to DIR (if given) as a
scenario file that reproduces it.

  --ops N    operations to run (default 100000, at most 100000000)
  --seed S   PRNG seed, an unsigned 32-bit integer (default 1)
  --out DIR  directory for reproducer scenarios

exit codes: 0 no divergence, 1 divergences found, 2 bad input`;

export async function run(argv: string[]): Promise<number> {
  const parsed = parseCommandArgs(argv, {
    ops: { type: "string" },
    seed: { type: "string" },
    out: { type: "string" },
  }, HELP);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  noPositionals("fuzz", positionals);
  const ops = intFlag("ops", values.ops, 100_000, 1, 100_000_000);
  const seed = intFlag("seed", values.seed, 1, 0, 2 ** 32 - 1);
  const out = pathFlag("out", values.out);
  // A reproducer that cannot be written is found out before the run, not after.
  if (out !== undefined) checkOutput(join(out, "reproducer.json"), "--out");
  const progress = new Progress("fuzz", ops);
  const started = performance.now();
  const report = runFuzz({ ops, seed, onProgress: (done) => progress.update(done) });
  progress.done();
  const seconds = (performance.now() - started) / 1000;
  console.log(`fuzz: seed ${seed}: ${report.ops} ops in ${report.processes} processes, ${report.divergences} divergences (${seconds.toFixed(1)} s)`);
  report.examples.forEach((d, i) => {
    console.log(`divergence ${i + 1}: profile ${d.profile}, step ${d.step}:\n  model: ${JSON.stringify(d.model)}\n  wasm:  ${JSON.stringify(d.wasm)}`);
    if (out !== undefined) {
      const file = join(out, `${d.reproducer.name}.json`);
      writeOutput(file, JSON.stringify(d.reproducer, null, 2) + "\n", "--out");
      console.log(`  reproducer: ${file}`);
    }
  });
  return report.divergences > 0 ? 1 : 0;
}
