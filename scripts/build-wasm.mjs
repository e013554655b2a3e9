// Compiles each AssemblyScript module listed in scripts/wasm-modules.json to
// build/<name>.wasm (the list is shared with `ab` and the selfcheck, which
// build other revisions the same way). One asc run per module: asc takes
// one entry file per output.
// The core's calls hold many GC references; the incremental runtime's shadow
// stack costs more than the work, so it collects explicitly (minimal runtime).
// asc also declares each module's exports; from that declaration the TS
// interface in src/contract/wasm/ is regenerated (scripts/wasm-exports.mjs),
// and when it changed the TypeScript is compiled again against it.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stepState, writeAtomic } from "./build-steps.mjs";
import { contractPath, importedMemory, renderExportsInterface } from "./wasm-exports.mjs";

const modules = JSON.parse(readFileSync(new URL("./wasm-modules.json", import.meta.url), "utf8"));

mkdirSync("build", { recursive: true });
// --check compiles in memory and only compares the export interfaces with the
// files in git (exit 1 naming each that drifted): the drift test runs it.
const check = process.argv.includes("--check");
const target = process.argv.includes("--debug") || check ? "debug" : "release";
// --only NAME builds one module (the strategy test rebuilds just the lookup world).
const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : null;
// A whole release build is skipped when nothing asc reads changed since the last one.
const whole = !check && only === null && target === "release";
const state = stepState(
  "wasm",
  ["assembly", "asconfig.json", "scripts/build-wasm.mjs", "scripts/wasm-modules.json", "scripts/wasm-exports.mjs", "node_modules/assemblyscript/package.json"],
  [...modules.map((m) => `build/${m.name}.wasm`), ...modules.map((m) => contractPath(m.name)), "build/wasm-build.json"],
);
if (whole && state.fresh && !process.argv.includes("--force")) process.exit(0);
if (!whole && !check) state.invalidate();
// Loaded only when there is work: loading the compiler alone takes seconds.
const { default: asc } = await import("assemblyscript/asc");
const changed = [];
for (const m of modules.filter((x) => only === null || x.name === only)) {
  let declaration = null;
  const { error } = await asc.main(
    [m.entry, "--config", "asconfig.json", "--target", target, "--outFile", `build/${m.name}.wasm`, "--bindings", "raw", ...m.flags],
    {
      stdout: process.stdout,
      stderr: process.stderr,
      // Only the module goes to disk; the bindings' .d.ts is read, its .js glue dropped.
      writeFile(name, contents, baseDir) {
        if (name.endsWith(".d.ts")) declaration = contents;
        else if (name.endsWith(".wasm") && !check) writeAtomic(join(baseDir, name), contents);
      },
    },
  );
  if (error) {
    console.error(`asc failed for ${m.entry}: ${error.message}`);
    process.exit(1);
  }
  let text;
  try {
    text = renderExportsInterface(m.name, declaration, importedMemory(m.flags));
  } catch (e) {
    console.error(`${m.entry}: ${e.message}`);
    process.exit(1);
  }
  const out = contractPath(m.name);
  if (!existsSync(out) || readFileSync(out, "utf8") !== text) {
    if (check) {
      console.error(`${out} does not match ${m.entry}'s exports: run npm run build:wasm`);
      changed.push(out);
      continue;
    }
    mkdirSync("src/contract/wasm", { recursive: true });
    writeAtomic(out, text);
    changed.push(out);
  }
}
if (check) process.exit(changed.length > 0 ? 1 : 0);
if (changed.length > 0 && existsSync("tsconfig.json")) {
  console.error(`build-wasm: regenerated ${changed.join(", ")}; compiling the TypeScript again`);
  const tsc = spawnSync(process.execPath, ["scripts/build-ts.mjs", "--force"], { stdio: ["ignore", process.stderr, process.stderr] });
  if (tsc.status !== 0) process.exit(tsc.status ?? 1);
}
// What the run context reports about the measured code: how each module was built.
const ascVersion = JSON.parse(readFileSync(new URL("../node_modules/assemblyscript/package.json", import.meta.url), "utf8")).version;
writeAtomic(
  "build/wasm-build.json",
  `${JSON.stringify({ assemblyscript: ascVersion, target, modules: modules.map((m) => ({ name: m.name, flags: m.flags })) }, null, 1)}\n`,
);
if (whole) state.done();
