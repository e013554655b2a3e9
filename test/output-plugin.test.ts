// Adding an output is one file and one registry entry: in a scratch copy
// of the sources, a throw-away output (each benchmark id, one a line) is
// added exactly so and the TypeScript rebuilt; every command with outputs
// then offers its flag in --help, and compare and report write its file,
// refused up front where its run is missing.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { REPO } from "./helpers.js";

const root = fileURLToPath(REPO);
const OLD = join(root, "test/fixtures/run-valid-old.json");
const NEW = join(root, "test/fixtures/run-valid.json");
const AB = join(root, "test/fixtures/ab-lookup-remap.json");

function run(cmd: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(cmd, args, { cwd, encoding: "utf8" });
}

function ok(cmd: string, args: string[], cwd: string): string {
  const r = run(cmd, args, cwd);
  assert.equal(r.status, 0, `${cmd} ${args.join(" ")}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

describe("adding an output", () => {
  it("takes its file and its registry entry, nothing else", { timeout: 600_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), "aio-output-"));
    for (const part of ["src", "assembly", "bench", "package.json"]) cpSync(join(root, part), join(dir, part), { recursive: true });
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
    writeFileSync(join(dir, "tsconfig.json"), readFileSync(join(root, "tsconfig.json"), "utf8").replace(/"include": \[[^\]]*\]/, '"include": ["src/**/*.ts"]'));

    // 1. The file.
    writeFileSync(
      join(dir, "src/report/ids.ts"),
      `import type { OutputFormat } from "./output-format.js";

export const ids: OutputFormat<"run"> = {
  flag: "ids",
  needs: "run",
  help: "write the run's benchmark ids, one a line",
  render: ({ run }) => run.results.map((r) => \`\${r.id}\\n\`).join(""),
};
`,
    );
    // 2. The registry entry.
    const registry = join(dir, "src/report/outputs.ts");
    writeFileSync(
      registry,
      readFileSync(registry, "utf8")
        .replace('import { markdown } from "./markdown-output.js";', 'import { markdown } from "./markdown-output.js";\nimport { ids } from "./ids.js";')
        .replace("  ghAction,\n];", "  ghAction,\n  ids,\n];"),
    );

    ok(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], dir);
    const cli = join(dir, "dist/src/cli.js");

    for (const command of ["bench", "compare", "ab", "report"])
      assert.match(ok(process.execPath, [cli, command, "--help"], dir), /--ids FILE +write the run's benchmark ids, one a line/, `${command} --help`);

    const expected = "lookup/remap-scan/n=4096/dist=uniform\nlookup/remap-scan/n=4096/dist=uniform/kernel\n";
    ok(process.execPath, [cli, "compare", OLD, NEW, "--ids", join(dir, "compare-ids.txt")], dir);
    assert.equal(readFileSync(join(dir, "compare-ids.txt"), "utf8"), expected, "compare writes NEW's ids");
    ok(process.execPath, [cli, "report", NEW, "--ids", join(dir, "report-ids.txt")], dir);
    assert.equal(readFileSync(join(dir, "report-ids.txt"), "utf8"), expected, "report writes RUN's ids");

    const refused = run(process.execPath, [cli, "report", AB, "--ids", join(dir, "ab-ids.txt")], dir);
    assert.equal(refused.status, 2, refused.stderr);
    assert.match(refused.stderr, /--ids writes a run: .*ab-lookup-remap\.json is a comparison file/);
  });
});
