// Compiles each AssemblyScript module listed here to build/<name>.wasm.
// One asc run per module: asc takes one entry file per output.
import asc from "assemblyscript/asc";
import { mkdirSync } from "node:fs";

const modules = [
  // The core's calls hold many GC references; the incremental runtime's shadow
  // stack costs more than the work, so it collects explicitly (minimal runtime).
  { name: "core", entry: "assembly/index.ts", flags: ["--runtime", "minimal", "--enable", "simd"] },
  { name: "lookup", entry: "assembly/lookup/index.ts", flags: [] },
  { name: "shared-ring", entry: "assembly/shared-ring/index.ts", flags: ["--enable", "threads", "--sharedMemory", "--importMemory", "--initialMemory", "1", "--maximumMemory", "1024", "--runtime", "stub"] },
];

mkdirSync("build", { recursive: true });
const target = process.argv.includes("--debug") ? "debug" : "release";
// --only NAME builds one module (the strategy test rebuilds just the lookup world).
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : null;
for (const m of modules.filter((x) => only === null || x.name === only)) {
  const { error, stderr } = await asc.main([
    m.entry, "--config", "asconfig.json", "--target", target,
    "--outFile", `build/${m.name}.wasm`, ...m.flags,
  ], { stdout: process.stdout, stderr: process.stderr });
  if (error) {
    console.error(`asc failed for ${m.entry}: ${error.message}`);
    console.error(stderr.toString());
    process.exit(1);
  }
}
