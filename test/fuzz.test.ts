// The seeded differential test: random call sequences on the TS model and
// the WASM core in lockstep must give identical results; and the fuzzer
// must notice when they do not.
import assert from "node:assert/strict";
import { EXPECTED } from "../src/fuzz/coverage.js";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { AioProcess } from "../src/model/aio.js";
import { PROFILES } from "../src/contract/profile.js";
import { runScenario } from "../src/scenario/index.js";
import { Names } from "../src/scenario/run.js";
import { randomStep, runFuzz } from "../src/scenario/fuzz.js";
import { parseScenario } from "../src/scenario/parse.js";
import { Prng } from "../src/util/prng.js";
import type { Step } from "../src/contract/scenario.js";
import { REPO } from "./helpers.js";

const CLI = fileURLToPath(new URL("dist/src/cli.js", REPO));

describe("differential fuzzing", () => {
  for (const seed of [1, 2, 3]) {
    it(`seed ${seed}: 30,000 random ops, every profile, no divergence`, () => {
      const r = runFuzz({ ops: 30_000, seed });
      assert.equal(r.ops, 30_000);
      assert.equal(r.divergences, 0, JSON.stringify(r.examples[0], null, 1));
    });
  }

  it("generated steps are valid scenario steps and reach every op", () => {
    const rng = new Prng(9);
    const names = new Names("gen");
    names.bind("A", 0x7000_0000_0000);
    // Top-level steps, which may hold pipe steps and poll blocks, and name earlier ones.
    const steps: Step[] = [];
    for (let i = 0; i < 2000; i++) steps.push(randomStep(rng, names, steps));
    parseScenario(JSON.stringify({ name: "generated", steps }), "generated.json");
    assert.deepEqual([...new Set(steps.map((s) => s.op))].sort(), Object.keys(EXPECTED).sort());
  });

  it("notices a backend that differs, with a reproducer scenario that shows it", async () => {
    /** A model whose io_submit miscounts large batches. */
    class Miscounting extends AioProcess {
      override io_submit(...args: Parameters<AioProcess["io_submit"]>) {
        const r = super.io_submit(...args);
        return r.ret > 100 ? { ...r, ret: r.ret - 1 } : r;
      }
    }
    const report = runFuzz({ ops: 20_000, seed: 4, backends: (p, c) => [new AioProcess(PROFILES[p], c), new Miscounting(PROFILES[p], c)] });
    assert.ok(report.divergences > 0);
    const d = report.examples[0];
    // The miscount shows in an io_submit, or in a repeat whose body submits (its ret_total).
    assert.ok(["io_submit", "repeat"].includes((d.model as { op: string }).op), JSON.stringify(d.model).slice(0, 200));
    const scenario = parseScenario(JSON.stringify(d.reproducer), "reproducer.json");
    const doc = await runScenario("reproducer.json", scenario, { backend: "model" });
    assert.deepEqual(doc.results[d.step], d.model);
  });

  it("the CLI reports ops and divergences; bad flags exit 2", () => {
    const ok = spawnSync(process.execPath, [CLI, "fuzz", "--ops", "2000", "--seed", "5"], { encoding: "utf8" });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /seed 5: 2000 ops in \d+ processes, 0 divergences/);
    const bad = spawnSync(process.execPath, [CLI, "fuzz", "--ops", "ten"], { encoding: "utf8" });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--ops: expected an integer/);
  });
});
