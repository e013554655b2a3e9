// Adding a lookup strategy is one TS file, one AssemblyScript file and one
// registry entry: in a scratch copy of the sources, a throw-away strategy
// (list-walk under another name) is added exactly so, the lookup world is
// rebuilt (TS, then the WASM dispatch generated from the registry), and the
// new strategy runs on both backends with the results of the one it copies.
// And a strategy number the registry does not have traps in WASM instead of
// falling back to the kernel's lookup.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { lookupModule } from "../src/strategies/wasm-world.js";
import { REPO } from "./helpers.js";

const root = fileURLToPath(REPO);

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

describe("adding a strategy", () => {
  it("takes its TS file, its AssemblyScript file and its registry entry, nothing else", { timeout: 600_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), "aio-strategy-"));
    for (const part of ["src", "assembly", "bench", "scripts", "asconfig.json", "package.json"]) cpSync(join(root, part), join(dir, part), { recursive: true });
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
    writeFileSync(join(dir, "tsconfig.json"), readFileSync(join(root, "tsconfig.json"), "utf8").replace(/"include": \[[^\]]*\]/, '"include": ["src/**/*.ts"]'));

    // 1. The TS file.
    const ts = readFileSync(join(root, "src/strategies/list-walk.ts"), "utf8")
      .replace('name: "list-walk"', 'name: "throwaway"')
      .replace("export const listWalk:", "export const throwaway:");
    writeFileSync(join(dir, "src/strategies/throwaway.ts"), ts);
    // 2. The AssemblyScript file.
    cpSync(join(root, "assembly/lookup/list-walk.ts"), join(dir, "assembly/lookup/throwaway.ts"));
    // 3. The registry entry.
    const registry = join(dir, "src/strategies/registry.ts");
    writeFileSync(
      registry,
      readFileSync(registry, "utf8")
        .replace(
          'import { tableHeaderId } from "./table-header-id.js";',
          'import { tableHeaderId } from "./table-header-id.js";\nimport { throwaway } from "./throwaway.js";',
        )
        .replace("  fileHash,\n]", "  fileHash,\n  throwaway,\n]"),
    );

    run(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], dir);
    run(process.execPath, ["scripts/gen-lookup-dispatch.mjs"], dir);
    run(process.execPath, ["scripts/build-wasm.mjs", "--only", "lookup"], dir);

    const check = `
      import { createLookupWorld, STRATEGIES } from "./dist/src/strategies/index.js";
      const out = { ids: STRATEGIES.map((s) => s.name + ":" + s.wasmId) };
      for (const backend of ["wasm", "ts"]) {
        for (const name of ["list-walk", "throwaway"]) {
          const w = createLookupWorld({ backend, n: 300, seed: 7 });
          const lookups = w.lookupBatch(name, "uniform", 500);
          const churn = w.churn(name, 2000, 11);
          out[backend + "/" + name] = { lookup: [lookups.checksum, lookups.visited], churn: [churn.checksum, churn.visited] };
        }
      }
      console.log(JSON.stringify(out));`;
    const got = JSON.parse(run(process.execPath, ["--input-type=module", "-e", check], dir));
    assert.ok(got.ids.includes("throwaway:8"), `registry: ${got.ids}`);
    for (const backend of ["wasm", "ts"])
      assert.deepEqual(got[`${backend}/throwaway`], got[`${backend}/list-walk`], `${backend}: the copy behaves as its original`);
    assert.deepEqual(got["wasm/throwaway"], got["ts/throwaway"], "WASM and TS agree on the new strategy");
  });

  it("an unknown strategy number traps in WASM", () => {
    const x = new WebAssembly.Instance(lookupModule(), { env: { abort: () => undefined } }).exports as {
      select(s: number): void;
      lookupBatch(s: number, ids: number, n: number): number;
    };
    assert.throws(() => x.select(99), WebAssembly.RuntimeError);
    assert.throws(() => x.select(-1), WebAssembly.RuntimeError);
  });
});
