// The native anchors (scripts/build-anchors.mjs, bench/native-case.ts): the
// probe's zero-timeout getevents read as a timing loop, the anchors document
// read as a hostile file, and a compiler that is missing made a row that
// says so, while the build goes on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadAnchors } from "../src/kernel/anchors.js";
import { defaultProbePath } from "../src/kernel/paths.js";
import { runKernelTiming } from "../src/kernel/probe.js";
import { bestLine, bestNative, nativeCases } from "../bench/native-case.js";
import type { SuiteResult } from "../src/contract/suite.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const probeSkip = existsSync(defaultProbePath()) ? false : "no build/probe (no C compiler)";
const which = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).stdout.trim();

test("ring-getevents: zero-timeout reads of an empty ring, ns per call, no AIO needed", { skip: probeSkip }, async () => {
  const t = await runKernelTiming("ring-getevents", { samples: 4, iterations: 10000, nr: 127 });
  assert.equal(t.unit, "ns/call");
  assert.equal(t.samples.length, 4);
  assert.equal(t.info.nr, 127);
  for (const s of t.samples) assert.ok(Number.isFinite(s) && s > 0, `sample ${s}`);
});

function anchorsDir(doc: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), "anchors-"));
  writeFileSync(join(dir, "anchors.json"), typeof doc === "string" ? doc : JSON.stringify(doc));
  return dir;
}

const build = (name: string, extra: object = {}) => ({
  name,
  compiler: name.split("-")[0],
  version: "x 1.0",
  flags: ["-O3"],
  path: null,
  unavailable: null,
  ...extra,
});

test("anchors.json is read as a hostile file: bad names, bad JSON and no file are one reason each", () => {
  assert.match(loadAnchors(join(tmpdir(), "no-such-anchors-dir")).reason ?? "", /no .*anchors\.json \(run npm run build:anchors\)/);
  assert.match(loadAnchors(anchorsDir("{not json")).reason ?? "", /is not an anchors document/);
  assert.match(loadAnchors(anchorsDir({ builds: [build("../../bin/sh")] })).reason ?? "", /is not an anchors document/);
  assert.match(loadAnchors(anchorsDir({ builds: [build("gcc-O3", { flags: ["; rm -rf /"] })] })).reason ?? "", /is not an anchors document/);
});

test("a build without its binary, or with a compiler not installed, is a row that says why", () => {
  const dir = anchorsDir({ builds: [build("gcc-O3"), build("clang-O3", { version: null, unavailable: "clang not installed" })] });
  const { anchors, reason } = loadAnchors(dir);
  assert.equal(reason, null);
  assert.match(anchors[0].unavailable ?? "", /no binary .*probe-gcc-O3/);
  assert.equal(anchors[1].unavailable, "clang not installed");
  process.env.AIO_RING_BENCH_ANCHORS = dir;
  try {
    const cases = nativeCases("native-c", { batch: 8 }, "ring", {}, 1);
    assert.deepEqual(
      cases.map((c) => [c.case, c.params.build, c.kind, c.kind === "unavailable" ? c.reason : null, c.build?.compiler, c.build?.version]),
      [
        ["native-c", "gcc-O3", "unavailable", anchors[0].unavailable, "gcc", "x 1.0"],
        ["native-c", "clang-O3", "unavailable", "clang not installed", "clang", null],
      ],
    );
  } finally {
    delete process.env.AIO_RING_BENCH_ANCHORS;
  }
});

// The whole script in a scratch folder whose PATH has gcc but no clang: the
// gcc builds are made, the clang rows say clang is not installed, exit 0.
const gcc = which("gcc");
test("build-anchors without clang: gcc builds made, clang not installed, exit 0", { skip: gcc ? false : "no gcc here", timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "anchors-build-"));
  try {
    mkdirSync(join(dir, "probe"));
    for (const f of readdirSync(join(ROOT, "probe"))) if (/\.[ch]$/.test(f)) copyFileSync(join(ROOT, "probe", f), join(dir, "probe", f));
    mkdirSync(join(dir, "bin"));
    for (const tool of ["gcc", "as", "ld"]) if (which(tool)) symlinkSync(which(tool), join(dir, "bin", tool));
    const r = spawnSync(process.execPath, [join(ROOT, "scripts", "build-anchors.mjs")], { cwd: dir, env: { PATH: join(dir, "bin") }, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const doc = JSON.parse(readFileSync(join(dir, "build", "anchors", "anchors.json"), "utf8")) as {
      builds: { name: string; unavailable: string | null; version: string | null }[];
    };
    const byName = new Map(doc.builds.map((b) => [b.name, b]));
    for (const name of ["gcc-O2", "gcc-O3", "gcc-O3-native"]) {
      assert.equal(byName.get(name)?.unavailable, null, name);
      assert.ok(existsSync(join(dir, "build", "anchors", `probe-${name}`)), name);
    }
    for (const name of ["clang-O2", "clang-O3", "clang-O3-native"]) {
      assert.equal(byName.get(name)?.unavailable, "clang not installed", name);
      assert.equal(byName.get(name)?.version, null, name);
    }
    assert.match(r.stderr, /not built: clang-O2 \(clang not installed\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a default run times the named builds only; the headline names the fastest measured build", () => {
  const dir = anchorsDir({ builds: [build("gcc-O2"), build("gcc-O3"), build("clang-O3")] });
  process.env.AIO_RING_BENCH_ANCHORS = dir;
  try {
    assert.deepEqual(
      nativeCases("native-c", {}, "ring", {}, 1, ["gcc-O3", "clang-O3"]).map((c) => c.params.build),
      ["gcc-O3", "clang-O3"],
    );
  } finally {
    delete process.env.AIO_RING_BENCH_ANCHORS;
  }
  const row = (name: string, median: number | null, b = name.split("-")[0]): SuiteResult => ({
    id: name,
    case: "native-c",
    backend: "native",
    params: { build: name },
    median,
    counters: {},
    measurements: {},
    roundMedians: [],
    byRound: false,
    unavailable: median === null ? "clang not installed" : null,
    build: { compiler: b, version: null, flags: ["-O3", "-march=native"] },
    looks: 1,
    complexity: null,
    counterComplexity: null,
  });
  const wasm = { ...row("wasm", 1.2), case: "wasm-batch", backend: "wasm" };
  const results = [wasm, row("gcc-O3-native", 0.8), row("clang-O3-native", 0.6), row("clang-O3", null)];
  assert.equal(bestNative(results, "native-c")?.params.build, "clang-O3-native");
  const line = bestLine("ring: WASM / fastest", wasm, bestNative(results, "native-c"), { op: "<=", bound: 1.4 });
  assert.match(line.text, /^ring: WASM \/ fastest \(clang -O3 -march=native\): 2\.00x/);
  assert.equal(line.met, false);
  assert.deepEqual(bestLine("x", wasm, bestNative([wasm, row("clang-O3", null)], "native-c"), { op: "<=", bound: 1.4 }), {
    text: "x: not measured (no native build was measured)",
    target: "<= 1.4x",
    met: null,
  });
});
