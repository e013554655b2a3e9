// The examples in docs/scenario-format.md are executed: every `json scenario`
// block must run on both models (and on the live kernel where the probe
// works, the machine has the scenario's CPU count and, for a tmpfs, root) and give exactly the
// `json results` block that follows it. The package's examples/scenarios/
// are run too, and every scenario file the README and examples/README.md
// name must be one of them (or of the parity suite in a checkout).
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { kernelAvailability, runScenarioOnKernel } from "../src/kernel/probe.js";
import { diffResults, parseScenario, readScenarioFile, runScenario } from "../src/scenario/index.js";
import { possibleCpus } from "../src/util/possible-cpus.js";
import { BACKENDS, fencedBlocks, REPO, tmpfsReason } from "./helpers.js";

const DOC = "docs/scenario-format.md";
/** Why an example on a tmpfs cannot run on the live kernel here (mounting one needs root), or null. */
const noTmpfs = kernelAvailability().available ? await tmpfsReason() : null;

const blocks = fencedBlocks(readFileSync(new URL(DOC, REPO), "utf8"));
const examples = blocks.flatMap((b, i) => {
  if (b.info !== "json scenario") return [];
  const next = blocks[i + 1];
  assert.equal(next?.info, "json results", `${DOC}: a scenario example must be followed by its results`);
  return [{ scenario: parseScenario(b.body, `${DOC} example ${i}`), results: JSON.parse(next.body) }];
});

describe(`${DOC} examples`, () => {
  it("has examples covering every op", () => {
    assert.ok(examples.length >= 3);
    const ops = new Set(examples.flatMap((e) => e.scenario.steps.map((s) => s.op)));
    for (const op of [
      "io_setup",
      "io_destroy",
      "io_submit",
      "io_getevents",
      "user_reap",
      "ring",
      "mmap",
      "munmap",
      "mremap",
      "fork_mremap",
      "fork",
      "fork_calls",
      "page",
      "fill",
      "peek",
    ]) {
      assert.ok(ops.has(op as never), `no example uses ${op}`);
    }
  });

  for (const { scenario, results } of examples) {
    for (const backend of BACKENDS) {
      it(`${scenario.name} on ${backend}`, async () => {
        const doc = await runScenario(scenario.name, scenario, { backend });
        assert.deepEqual(doc.results, results);
      });
    }
    const avail = kernelAvailability();
    const skip = !avail.available
      ? `kernel backend unavailable: ${avail.reason}`
      : possibleCpus() !== scenario.cpus
        ? `the example assumes ${scenario.cpus} CPUs`
        : scenario.tmpfs_bytes !== undefined && noTmpfs !== null
          ? noTmpfs
          : false;
    it(`${scenario.name} on the live kernel`, { skip }, async () => {
      const doc = await runScenarioOnKernel(scenario.name, scenario);
      assert.deepEqual(doc.results, results);
    });
  }
});

describe("examples/scenarios (shipped in the package)", () => {
  const dir = new URL("examples/scenarios/", REPO);
  const files = readdirSync(dir).filter((f) => f.endsWith(".json"));

  it("holds a few, each a byte-identical copy of a parity scenario (so the recorded kernel answer checks it)", () => {
    assert.ok(files.length >= 3 && files.length <= 6, files.join(", "));
    for (const f of files) assert.equal(readFileSync(new URL(f, dir), "utf8"), readFileSync(new URL(`test/scenarios/${f}`, REPO), "utf8"), f);
  });

  for (const f of files) {
    it(`${f} runs on both models, which agree`, async () => {
      const path = new URL(f, dir).pathname;
      const scenario = readScenarioFile(path);
      const [model, wasm] = await Promise.all(BACKENDS.map((backend) => runScenario(path, scenario, { backend })));
      assert.equal(wasm.results.length, scenario.steps.length);
      assert.deepEqual(diffResults(wasm, model), []);
    });
  }

  it("the commands in the README and examples/README.md run scenario files the package ships", () => {
    for (const doc of ["README.md", "examples/README.md"]) {
      const commands = fencedBlocks(readFileSync(new URL(doc, REPO), "utf8"))
        .filter((b) => b.info === "sh")
        .flatMap((b) => [...b.body.matchAll(/[\w./-]*scenarios\/[\w.-]+\.json/g)].map((m) => m[0]));
      assert.ok(commands.length > 0, `${doc} runs no scenario file`);
      for (const path of commands) {
        assert.match(path, /^(node_modules\/aio-ring-bench\/)?examples\/scenarios\//, `${doc}: ${path} is not in the package`);
        assert.ok(existsSync(new URL(path.replace(/^node_modules\/aio-ring-bench\//, ""), REPO)), `${doc}: ${path} does not exist`);
      }
    }
  });
});
