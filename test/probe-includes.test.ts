// The probe's include check (npm run deps:check): the probe in git has no
// include cycle, and a header included back by what it includes is caught.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { REPO } from "./helpers.js";

const root = fileURLToPath(REPO);
const check = (dir: string) => spawnSync(process.execPath, ["scripts/check-probe-includes.mjs", dir], { cwd: root, encoding: "utf8" });

describe("probe include check", () => {
  it("finds no cycle in probe/", () => {
    const r = check(join(root, "probe"));
    assert.equal(r.status, 0, r.stderr);
  });

  it("names a cycle: timing.c's loops including timing.h back", () => {
    const dir = mkdtempSync(join(tmpdir(), "aio-probe-includes-"));
    try {
      for (const f of readdirSync(join(root, "probe")).filter((f) => /\.[ch]$/.test(f))) cpSync(join(root, "probe", f), join(dir, f));
      writeFileSync(join(dir, "ring_loop.h"), '#include "timing.h"\n', { flag: "a" });
      const r = check(dir);
      assert.equal(r.status, 1);
      assert.match(r.stderr, /probe include cycle: (timing -> ring_loop -> timing|ring_loop -> timing -> ring_loop)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
