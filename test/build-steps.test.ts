// The build skips what is up to date (npm runs it for prepare, pretest and a
// first npx: it must not rebuild everything each time) and writes outputs
// temp-then-rename (a test reading dist/ meanwhile never sees half a file).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { REPO } from "./helpers.js";

interface StepState {
  fresh: boolean;
  done(): void;
  invalidate(): void;
}
const { stepState, writeAtomic } = (await import(new URL("scripts/build-steps.mjs", REPO).href)) as {
  stepState: (step: string, inputs: string[], outputs: string[]) => StepState;
  writeAtomic: (path: string, contents: string) => void;
};

describe("build steps", () => {
  it("a step is fresh only after a success newer than every input, with its outputs there", () => {
    const dir = mkdtempSync(join(tmpdir(), "aio-build-steps-"));
    const was = process.cwd();
    process.chdir(dir);
    try {
      mkdirSync("build");
      mkdirSync("src/deep", { recursive: true });
      writeFileSync("src/deep/a.c", "int a;");
      writeFileSync("out.bin", "x");
      const past = new Date(Date.now() - 60_000);
      utimesSync("src/deep/a.c", past, past);
      assert.equal(stepState("c", ["src"], ["out.bin"]).fresh, false, "never built");
      stepState("c", ["src"], ["out.bin"]).done();
      assert.equal(stepState("c", ["src"], ["out.bin"]).fresh, true, "built after the inputs");
      assert.equal(stepState("c", ["src"], ["out.bin", "missing.bin"]).fresh, false, "an output is missing");
      const future = new Date(Date.now() + 60_000);
      utimesSync("src/deep/a.c", future, future);
      assert.equal(stepState("c", ["src"], ["out.bin"]).fresh, false, "an input deep in a folder changed since");
      stepState("c", ["src"], ["out.bin"]).done();
      utimesSync("src/deep/a.c", past, past);
      stepState("c", ["src"], ["out.bin"]).invalidate();
      assert.equal(stepState("c", ["src"], ["out.bin"]).fresh, false, "invalidated by a partial build");
      writeAtomic("out.bin", "new");
      assert.deepEqual(readdirSync("."), ["build", "out.bin", "src"].sort(), "no temporary file left behind");
    } finally {
      process.chdir(was);
    }
  });

  it("npm run build on an up-to-date tree rewrites nothing and says nothing", { timeout: 600_000 }, () => {
    const root = fileURLToPath(REPO);
    const build = () => spawnSync(process.execPath, ["scripts/build.mjs"], { cwd: root, encoding: "utf8" });
    // The tree may be stale when this file runs alone: the first build brings it up to date.
    assert.equal(build().status, 0);
    const outputs = ["dist/src/cli.js", "dist/src/scenario/limits.js", "build/core.wasm", "build/lookup.wasm", "build/probe", "build/anchors/anchors.json"];
    const before = outputs.map((o) => statSync(join(root, o)).mtimeMs);
    const again = build();
    assert.equal(again.status, 0);
    assert.equal(again.stdout + again.stderr, "", "no step ran");
    assert.deepEqual(
      outputs.map((o) => statSync(join(root, o)).mtimeMs),
      before,
      "no output was written again",
    );
  });
});
