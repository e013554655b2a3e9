// `aio-ring-bench bench`: the product's front door (`npm run bench`). The
// flag table is bench-flags.ts; measuring and reporting (bench-run.ts) are
// loaded only once the flags parse, so --help answers at once.
import { benchFlags, spec, type BenchFlags } from "./bench-flags.js";
import { parseCommand } from "./args.js";

export { spec };

/** bench-run.ts's benchCommand, loaded when first called (so --help does not load it). */
export async function benchCommand(flags: BenchFlags, log?: (line: string) => void): Promise<number> {
  return (await import("./bench-run.js")).benchCommand(flags, log);
}

export async function run(argv: string[]): Promise<number> {
  // Help is answered before the suites, their WASM and the reporting code are loaded.
  const parsed = parseCommand(spec, argv);
  if (!parsed) return 0;
  const [{ SUITES }, command] = await Promise.all([import("../../bench/index.js"), import("./bench-run.js")]);
  const flags = benchFlags(parsed, SUITES);
  if (flags.list) {
    await command.listCases(flags);
    return 0;
  }
  return command.benchCommand(flags);
}
