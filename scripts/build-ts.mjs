// Compiles the TypeScript (tsconfig.json) into dist/: skipped when nothing it
// reads changed since the last success, incremental otherwise (only what an
// edit affects is emitted again), every file written temp-then-rename so
// that tests running meanwhile never import a half-written module.
// Usage: node scripts/build-ts.mjs [--force]
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { stepState, writeAtomic } from "./build-steps.mjs";

// assembly/abi/ is imported by src/; the lock file stands for the installed typings.
const INPUTS = ["src", "bench", "test", "assembly/abi", "tsconfig.json", "package.json", "package-lock.json", "scripts/build-ts.mjs"];
const state = stepState("ts", INPUTS, ["dist/src/cli.js", "dist/.tsbuildinfo"]);
if (state.fresh && !process.argv.includes("--force")) process.exit(0);
// Loaded only when there is work: loading the compiler alone takes seconds.
const { default: ts } = await import("typescript");

const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail([d]) };
const parsed = ts.getParsedCommandLineOfConfigFile("tsconfig.json", { incremental: true, tsBuildInfoFile: "dist/.tsbuildinfo" }, host);
const compilerHost = ts.createIncrementalCompilerHost(parsed.options);
compilerHost.writeFile = (name, text) => {
  mkdirSync(dirname(name), { recursive: true });
  writeAtomic(name, text);
};
const program = ts.createIncrementalProgram({
  rootNames: parsed.fileNames,
  options: parsed.options,
  host: compilerHost,
  projectReferences: parsed.projectReferences,
  configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
});
const diagnostics = [
  ...program.getConfigFileParsingDiagnostics(),
  ...program.getOptionsDiagnostics(),
  ...program.getGlobalDiagnostics(),
  ...program.getSyntacticDiagnostics(),
  ...program.getSemanticDiagnostics(),
  ...program.emit().diagnostics,
];
if (diagnostics.length > 0) fail(diagnostics);
state.done();

function fail(list) {
  const formatHost = { getCanonicalFileName: (f) => f, getCurrentDirectory: ts.sys.getCurrentDirectory, getNewLine: () => "\n" };
  process.stderr.write(ts.formatDiagnosticsWithColorAndContext(list, formatHost));
  process.exit(1);
}
