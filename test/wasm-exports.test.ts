// The host's view of each WASM module's exports (src/contract/wasm/) is
// generated from asc's own declaration of the module, so it cannot be kept
// by hand: this checks the files in git are what the AssemblyScript source
// declares now, that the built modules export exactly those functions, and
// that the generator maps types the way the raw ABI passes them.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { REPO } from "./helpers.js";

const root = fileURLToPath(REPO);
const modules = JSON.parse(readFileSync(join(root, "scripts", "wasm-modules.json"), "utf8")) as { name: string }[];

interface Generator {
  renderExportsInterface(name: string, dts: string, importedMemory: object | null): string;
}
const generator = (): Promise<Generator> => import(new URL("scripts/wasm-exports.mjs", REPO).href) as Promise<Generator>;

/** `--check` run in `dir`: exit status and stderr. */
function check(dir: string): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, ["scripts/build-wasm.mjs", "--check"], { cwd: dir, encoding: "utf8" });
  return { status: r.status, stderr: r.stderr };
}

describe("WASM export interfaces", () => {
  it("the interfaces in src/contract/wasm are what asc declares for the current source", () => {
    const r = check(root);
    assert.equal(r.status, 0, r.stderr);
  });

  it("a hand edit of an interface is caught, naming the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "aio-exports-"));
    try {
      for (const part of ["assembly", "scripts", "asconfig.json", join("src", "contract", "wasm")])
        cpSync(join(root, part), join(dir, part), { recursive: true });
      symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
      const file = join(dir, "src", "contract", "wasm", "core-exports.ts");
      writeFileSync(file, readFileSync(file, "utf8").replace("io_destroy(ctx: bigint): number;", "io_destroy(ctx: number): number;"));
      const r = check(dir);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /src\/contract\/wasm\/core-exports\.ts does not match assembly\/index\.ts's exports/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const { name } of modules) {
    it(`build/${name}.wasm exports exactly the functions of ${name}-exports.ts`, () => {
      const source = readFileSync(join(root, "src", "contract", "wasm", `${name}-exports.ts`), "utf8");
      const declared = [...source.matchAll(/^ {2}(\w+)\(/gm)].map((m) => m[1]).sort();
      const module = new WebAssembly.Module(readFileSync(join(root, "build", `${name}.wasm`)));
      const built = WebAssembly.Module.exports(module)
        .filter((e) => e.kind === "function")
        .map((e) => e.name)
        .sort();
      assert.deepEqual(declared, built);
    });
  }

  it("maps 64-bit integers to bigint, other numbers and bool to number, and refuses managed types", async () => {
    const { renderExportsInterface } = await generator();
    const dts = [
      "/**\n * assembly/x/f\n * @param a `i64`\n * @param b `bool`\n * @param c `usize`\n * @returns `u64`\n */\nexport function f(a: bigint, b: boolean, c: number): bigint;",
      "/**\n * assembly/x/g\n */\nexport function g(): void;",
    ].join("\n");
    const text = renderExportsInterface("demo-mod", dts, null);
    assert.match(text, /export interface DemoModExports \{/);
    assert.match(text, /^ {2}f\(a: bigint, b: number, c: number\): bigint;$/m);
    assert.match(text, /^ {2}g\(\): void;$/m);
    const managed = "/**\n * assembly/x/h\n * @param s `~lib/string/String`\n */\nexport function h(s: string): void;";
    assert.throws(() => renderExportsInterface("demo", managed, null), /assembly\/x\/h parameter s is a ~lib\/string\/String: only numbers cross/);
  });
});
