// Compiles each AssemblyScript module listed in scripts/wasm-modules.json to
// build/<name>.wasm (the list is shared with `ab` and the selfcheck, which
// build other revisions the same way). One asc run per module: asc takes
// one entry file per output.
// The core's calls hold many GC references; the incremental runtime's shadow
// stack costs more than the work, so it collects explicitly (minimal runtime).
import asc from "assemblyscript/asc";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";

const modules = JSON.parse(readFileSync(new URL("./wasm-modules.json", import.meta.url), "utf8"));

mkdirSync("build", { recursive: true });
const target = process.argv.includes("--debug") ? "debug" : "release";
// --only NAME builds one module (the strategy test rebuilds just the lookup world).
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : null;
for (const m of modules.filter((x) => only === null || x.name === only)) {
  const { error, stderr } = await asc.main([m.entry, "--config", "asconfig.json", "--target", target, "--outFile", `build/${m.name}.wasm`, ...m.flags], {
    stdout: process.stdout,
    stderr: process.stderr,
  });
  if (error) {
    console.error(`asc failed for ${m.entry}: ${error.message}`);
    console.error(stderr.toString());
    process.exit(1);
  }
}
// What the run context reports about the measured code: how each module was built.
const ascVersion = JSON.parse(readFileSync(new URL("../node_modules/assemblyscript/package.json", import.meta.url), "utf8")).version;
writeFileSync(
  "build/wasm-build.json",
  `${JSON.stringify({ assemblyscript: ascVersion, target, modules: modules.map((m) => ({ name: m.name, flags: m.flags })) }, null, 1)}\n`,
);
