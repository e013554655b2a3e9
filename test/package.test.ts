// The package others install: `npm pack` holds what running needs, the
// example scenarios and no tests; installed from the tarball into a fresh
// directory, `scenario` (on a shipped example too) and `bench --quick
// --suite lookup` run there, the library entry runs a bench with its
// defaults, and state goes to the state folder, never into node_modules.
import assert from "node:assert/strict";
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { fencedBlocks, REPO } from "./helpers.js";

const root = fileURLToPath(REPO);
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

function run(cmd: string, args: string[], opts: SpawnSyncOptions = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...opts });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")}: ${r.error ?? ""}${r.stderr}`);
  return r.stdout as string;
}

describe("the npm package", () => {
  it("packs what running needs and no tests", () => {
    const [{ files }] = JSON.parse(run(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: root })) as [{ files: { path: string }[] }];
    const paths = files.map((f) => f.path);
    for (const needed of [
      "package.json",
      "dist/src/cli.js",
      "dist/src/index.js",
      "dist/src/index.d.ts",
      // Read at run time: inlined into every HTML page.
      "dist/src/report/page-script.js",
      "build/core.wasm",
      "build/lookup.wasm",
      "build/shared-ring.wasm",
      "probe/probe.h",
      "probe/main.c",
      "scripts/build-probe.mjs",
      "scripts/build-steps.mjs",
      "docs/scenario-format.md",
      "examples/README.md",
      ...readdirSync(new URL("examples/scenarios/", REPO)).map((f) => `examples/scenarios/${f}`),
    ]) {
      assert.ok(paths.includes(needed), `${needed} is not in the package`);
    }
    assert.deepEqual(
      paths.filter((p) => /^(dist\/)?test\//.test(p) || p.endsWith(".map") || /^(src|assembly|bench)\//.test(p)),
      [],
      "tests, sources and source maps stay out",
    );
  });

  it("installs from the tarball and runs scenario and bench from there", { timeout: 300_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), "aio-package-"));
    run(npm, ["pack", "--pack-destination", dir, "--ignore-scripts"], { cwd: root });
    const tarball = readdirSync(dir).find((f) => f.endsWith(".tgz"))!;
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true }));
    run(npm, ["install", "--no-audit", "--no-fund", "--prefer-offline", `./${tarball}`], { cwd: dir });
    const installed = join(dir, "node_modules", "aio-ring-bench");
    const env = { ...process.env, AIO_RING_BENCH_HOME: "" };
    const example = fencedBlocks(readFileSync(new URL("docs/scenario-format.md", REPO), "utf8")).find((b) => b.info === "json scenario")!.body;
    writeFileSync(join(dir, "example.json"), example);
    const bin = join(dir, "node_modules", ".bin", "aio-ring-bench");
    const doc = JSON.parse(run(bin, ["scenario", "example.json", "--backend", "wasm"], { cwd: dir, env }));
    assert.equal(doc.results.length, JSON.parse(example).steps.length);
    const shipped = join(installed, "examples", "scenarios", "remap-between-submit-and-reap.json");
    const fromExample = JSON.parse(run(bin, ["scenario", shipped, "--backend", "model", "--profile", "v3.18"], { cwd: dir, env }));
    assert.equal(fromExample.results.length, JSON.parse(readFileSync(shipped, "utf8")).steps.length);
    // Run from a subfolder: the state goes to the project folder (the one holding node_modules).
    const sub = join(dir, "sub");
    mkdirSync(sub);
    const bench = run(bin, ["bench", "--quick", "--suite", "lookup", "--html", "report.html"], { cwd: sub, env });
    assert.match(bench, /benchmarks in/);
    const html = readFileSync(join(sub, "report.html"), "utf8");
    assert.match(html, /<section id="suite-lookup">/, "the suite's section, from the installed registry");
    assert.match(html, /setAttribute\("data-charts-rendered"/, "the page script, inlined from the installed package");
    assert.ok(existsSync(join(dir, ".aio-ring-bench", "last-run.json")), "the run is in the state folder of the project");
    assert.ok(!existsSync(join(installed, ".aio-ring-bench")), "no state inside node_modules");
    const lib = run(process.execPath, ["--input-type=module", "-e", 'import * as m from "aio-ring-bench"; console.log(JSON.stringify(m.PROFILE_NAMES))'], {
      cwd: dir,
    });
    assert.deepEqual(JSON.parse(lib), ["v3.11", "v3.18", "v3.19", "mainline", "next", "v6.1", "v6.12"]);
    // The library's defaults: every suite, as npm run bench (quick, to stay short), and an output by name.
    const script = [
      'import { runBench, renderOutput, SUITES } from "aio-ring-bench";',
      "const { run } = await runBench({ quick: true });",
      'const csv = renderOutput("csv", { run });',
      'console.log(JSON.stringify({ suites: run.config.suites, all: SUITES.map((s) => s.name), rows: csv.trim().split("\\n").length - 1, results: run.results.length }));',
    ].join("\n");
    const defaults = JSON.parse(run(process.execPath, ["--input-type=module", "-e", script], { cwd: dir, env }).trim().split("\n").at(-1)!);
    assert.deepEqual(defaults.suites, defaults.all, "every suite by default");
    assert.ok(defaults.results > 20 && defaults.rows === defaults.results, JSON.stringify(defaults));
  });
});
