import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { pairedVerdict } from "../src/report/ab.js";
import { wilcoxonSignedRank } from "../src/stats/rank-tests.js";
import { buildCacheDir, buildRevision, resolveSource } from "../src/bench/wasm-source-build.js";
import { UserError } from "../src/contract/errors.js";
import { validateComparison } from "../src/report/comparison-schema.js";

const CLI = new URL("../src/cli.js", import.meta.url).pathname;

test("signed-rank test: symmetric differences are not significant, one-sided ones are", () => {
  assert.equal(wilcoxonSignedRank([0, 0, 0]).p, 1);
  assert.ok(wilcoxonSignedRank([-3, -1, 1, 3, -2, 2, 0.5, -0.5]).p > 0.5);
  const shifted = wilcoxonSignedRank(Array.from({ length: 20 }, (_, i) => 1 + (i % 5)));
  assert.ok(shifted.p < 0.001 && shifted.z > 0 && shifted.n === 20);
});

test("paired verdicts: a clear 10% ratio regresses, A/A ratios are unchanged, a wide spread is too noisy", () => {
  const wobble = (i: number) => ((i * 7919) % 13) / 13 - 0.5;
  const slow = Array.from({ length: 24 }, (_, i) => 1.1 + 0.01 * wobble(i));
  assert.equal(pairedVerdict(slow, 0.05, 10, 1).verdict, "regressed");
  const same = Array.from({ length: 24 }, (_, i) => 1 + 0.01 * wobble(i));
  assert.equal(pairedVerdict(same, 0.05, 10, 1).verdict, "unchanged");
  const wild = Array.from({ length: 24 }, (_, i) => 1 + 0.6 * wobble(i));
  assert.equal(pairedVerdict(wild, 0.05, 10, 1).verdict, "too noisy");
  assert.match(pairedVerdict(slow.slice(0, 4), 0.05, 10, 1).reason, /too few cycles \(4, need 10\)/);
});

test("ab: an unknown ref and a revision that does not build are one-line errors naming the ref; nothing half-written in the cache", async () => {
  const home = mkdtempSync(join(tmpdir(), "ab-home-"));
  process.env.AIO_RING_BENCH_HOME = home;
  assert.throws(
    () => resolveSource({ kind: "ref", ref: "no-such-ref-xyz" }),
    (e: unknown) => e instanceof UserError && /ref "no-such-ref-xyz": unknown or unreachable/.test(e.message),
  );
  assert.throws(
    () => resolveSource({ kind: "ref", ref: "--upload-pack=x" }),
    (e: unknown) => e instanceof UserError && /not a valid git ref/.test(e.message),
  );
  const repo = mkdtempSync(join(tmpdir(), "ab-repo-"));
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@t", ...args], { cwd: repo, stdio: "pipe" });
  git("init", "-q");
  mkdirSync(join(repo, "assembly", "lookup"), { recursive: true });
  writeFileSync(join(repo, "assembly", "index.ts"), "export function f(): i32 { return undefined_name; }\n");
  writeFileSync(join(repo, "assembly", "lookup", "index.ts"), "export function g(): i32 { return 1; }\n");
  git("add", "-A");
  git("commit", "-qm", "broken");
  const src = resolveSource({ kind: "ref", ref: "HEAD" }, repo);
  await assert.rejects(
    buildRevision(src),
    (e: unknown) =>
      e instanceof UserError && /^HEAD \([0-9a-f]{10}\): does not build \(assembly\/index\.ts\): .*undefined_name/.test(e.message) && !e.message.includes("\n"),
  );
  assert.deepEqual(readdirSync(buildCacheDir()), [], "no temp directory or partial build left");
  const r = spawnSync(process.execPath, [CLI, "ab", "--base", "no-such-ref-xyz"], { encoding: "utf8", env: { ...process.env, AIO_RING_BENCH_HOME: home } });
  assert.equal(r.status, 2);
  assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  assert.match(r.stderr, /ref "no-such-ref-xyz"/);
  assert.ok(!existsSync(join(home, "wasm-builds")) || readdirSync(join(home, "wasm-builds")).length === 0);
  delete process.env.AIO_RING_BENCH_HOME;
});

test("ab: benchmarks whose module exports differ between the builds are not comparable, with the reason", async () => {
  const { runAb } = await import("../src/report/ab.js");
  const { BUILD_DIR, wasmBuildFrom, defaultWasmBuild } = await import("../src/core/wasm-build.js");
  const { instrumentWasm } = await import("../src/core/instruction-count.js");
  const { lookupSuite } = await import("../bench/lookup.js");
  const { readFileSync } = await import("node:fs");
  // A head whose lookup module has one more export (the counter): same code, other interface.
  const head = wasmBuildFrom("head with another export", (name) =>
    name === "lookup" ? instrumentWasm(readFileSync(`${BUILD_DIR}lookup.wasm`)) : readFileSync(`${BUILD_DIR}${name}.wasm`),
  );
  const r = await runAb({
    quick: true,
    full: false,
    sizes: [1],
    timeMs: 10,
    suites: [lookupSuite],
    filter: /hash\/wasm/,
    base: defaultWasmBuild(),
    head,
    budgetMs: 1,
  });
  assert.equal(r.comparison.entries.length, 1);
  const [e] = r.comparison.entries;
  assert.equal(e.verdict, "not comparable");
  assert.match(e.reason, /lookup\.wasm exports differ \(only in head: __wasm_instructions:global\)/);
  assert.equal(r.headRun.results.length, 0);
});

test("ab --json - keeps stdout for the comparison JSON (the table goes to stderr); two outputs on stdout are refused before building", () => {
  const home = mkdtempSync(join(tmpdir(), "ab-stdout-"));
  const env = { ...process.env, AIO_RING_BENCH_HOME: home, NO_COLOR: "1" };
  try {
    const two = spawnSync(process.execPath, [CLI, "ab", "--base", "HEAD", "--head", "HEAD", "--json", "-", "--markdown", "-"], { encoding: "utf8", env });
    assert.equal(two.status, 2);
    assert.equal(two.stderr.trim(), 'aio-ring-bench: only one output can go to standard output ("-"), got --markdown and --json');
    assert.equal(two.stdout, "");
    assert.ok(!existsSync(join(home, "wasm-builds")), "refused before building");
    const argv = [
      "ab",
      "--base",
      "HEAD",
      "--head",
      "HEAD",
      "--suite",
      "lookup",
      "--filter",
      "hash/wasm",
      "--sizes",
      "1",
      "--quick",
      "--budget",
      "1",
      "--json",
      "-",
    ];
    const r = spawnSync(process.execPath, [CLI, ...argv], { encoding: "utf8", env });
    assert.equal(r.status, 0, r.stderr);
    const cmp = validateComparison(JSON.parse(r.stdout), "stdout");
    assert.equal(cmp.kind, "ab");
    assert.deepEqual(
      cmp.entries.map((e) => e.id),
      ["lookup/hash/wasm/n=1/dist=uniform"],
    );
    assert.match(r.stderr, /^lookup\/hash\/wasm\/n=1\/dist=uniform /m, "the table is on stderr");
    assert.match(r.stderr, /^\d+ rounds in /m);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});
