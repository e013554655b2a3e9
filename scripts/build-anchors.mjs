// Builds the native anchors: the probe (probe/*.c) once per compiler and
// optimisation level a performance engineer would try, each a separate
// binary build/anchors/probe-<name>, so the ring suites time the same C loop
// at its best and not only as build/probe (-O2). Writes
// build/anchors/anchors.json: per build its compiler, version and flags, or
// why it is missing. Never fails the build: a compiler that is not installed
// or fails makes that row "not measured" with the reason.
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, renameSync, rmSync, readdirSync, writeFileSync } from "node:fs";
import { stepState } from "./build-steps.mjs";

const OUT = "build/anchors";
const COMPILERS = ["gcc", "clang"];
/** Generic x86-64 at -O3 vectorises with 128-bit SSE, WASM's v128 width; -march=native uses every vector unit here. */
const LEVELS = [
  { tag: "O2", flags: ["-O2"] },
  { tag: "O3", flags: ["-O3"] },
  { tag: "O3-native", flags: ["-O3", "-march=native"] },
];

function versionOf(cc) {
  const r = spawnSync(cc, ["--version"], { encoding: "utf8" });
  if (r.error || r.status !== 0) return null;
  return r.stdout.split("\n")[0].trim();
}

function compile(cc, flags, out, sources) {
  return new Promise((resolve) => {
    const child = spawn(cc, [...flags, "-std=gnu11", "-Wall", "-Wextra", "-o", out, ...sources], { stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", (e) => resolve(`cannot run ${cc}: ${e.code ?? e.message}`));
    child.on("close", (code) => resolve(code === 0 ? null : `${cc} failed: ${(stderr.split("\n").find((l) => /error/.test(l)) ?? `exit ${code}`).trim()}`));
  });
}

if (process.platform !== "linux") {
  console.error(`build-anchors: no native anchors: platform is ${process.platform}, not linux`);
  process.exit(0);
}
const state = stepState("anchors", ["probe", "scripts/build-anchors.mjs"], [`${OUT}/anchors.json`]);
if (state.fresh && !process.argv.includes("--force")) process.exit(0);
mkdirSync(OUT, { recursive: true });
const sources = readdirSync("probe")
  .filter((f) => f.endsWith(".c"))
  .sort()
  .map((f) => `probe/${f}`);
const builds = [];
for (const cc of COMPILERS) {
  const version = versionOf(cc);
  for (const level of LEVELS) {
    const name = `${cc}-${level.tag}`;
    const entry = { name, compiler: cc, version, flags: level.flags, path: null, unavailable: null };
    if (version === null) entry.unavailable = `${cc} not installed`;
    builds.push(entry);
  }
}
// Two at a time: the machine's other work keeps running.
const todo = builds.filter((b) => b.unavailable === null);
const worker = async () => {
  for (let b = todo.shift(); b; b = todo.shift()) {
    const path = `${OUT}/probe-${b.name}`;
    // Compiled beside and renamed into place: a benchmark running the old binary is not disturbed.
    const failed = await compile(b.compiler, b.flags, `${path}.tmp-${process.pid}`, sources);
    if (failed) b.unavailable = failed;
    else {
      renameSync(`${path}.tmp-${process.pid}`, path);
      b.path = path;
    }
  }
};
await Promise.all([worker(), worker()]);
// Stale binaries from an older source (or a build that failed now) must not pass for this one's anchors.
const keep = new Set(builds.filter((b) => b.path).map((b) => `probe-${b.name}`));
for (const f of readdirSync(OUT)) if (f.startsWith("probe-") && !keep.has(f)) rmSync(`${OUT}/${f}`, { force: true });
const doc = { sources, builds: builds.map(({ name, compiler, version, flags, path, unavailable }) => ({ name, compiler, version, flags, path, unavailable })) };
writeFileSync(`${OUT}/anchors.json.tmp`, `${JSON.stringify(doc, null, 1)}\n`);
renameSync(`${OUT}/anchors.json.tmp`, `${OUT}/anchors.json`);
const built = builds.filter((b) => b.path).map((b) => b.name);
const missing = builds.filter((b) => b.unavailable).map((b) => `${b.name} (${b.unavailable})`);
console.error(`build-anchors: built ${built.length ? built.join(", ") : "none"}${missing.length ? `; not built: ${missing.join("; ")}` : ""}`);
state.done();
