import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { run as compare } from "../src/commands/compare.js";
import { run as history } from "../src/commands/history.js";
import { UserError } from "../src/contract/errors.js";

const valid = fileURLToPath(new URL("../../test/fixtures/run-valid.json", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "arb-cmd-"));
process.env.AIO_RING_BENCH_HOME = dir;

async function rejectsUser(p: Promise<unknown>, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => e instanceof UserError && e.exitCode === 2 && pattern.test(e.message));
}

test("compare: unknown flags, bad values and missing operands are UserErrors naming the flag", async () => {
  await rejectsUser(compare([valid, valid, "--frobnicate"]), /--frobnicate/);
  await rejectsUser(compare([valid, valid, "--threshold", "abc"]), /--threshold: expected a percentage/);
  await rejectsUser(compare([valid, valid, "--threshold", "0"]), /--threshold/);
  await rejectsUser(compare([valid]), /expected OLD and NEW/);
  await rejectsUser(compare(["no-such-baseline", valid]), /no baseline named "no-such-baseline"/);
  await rejectsUser(history(["--threshold", "150"]), /--threshold/);
  await rejectsUser(history(["--file", join(dir, "absent.jsonl")]), /history file does not exist/);
});

test("compare writes every export and passes the gate on identical runs", async () => {
  const out = (n: string) => join(dir, n);
  const log = console.log;
  console.log = () => {};
  try {
    const code = await compare([
      valid,
      valid,
      "--fail-on-regression",
      "--markdown",
      out("c.md"),
      "--bmf",
      out("b.json"),
      "--gh-action",
      out("g.json"),
      "--json",
      out("c.json"),
    ]);
    assert.equal(code, 0);
    assert.equal(await history(["--file", out("h.jsonl"), "--append", valid, "--json"]), 0);
  } finally {
    console.log = log;
  }
  for (const f of ["c.md", "b.json", "g.json", "c.json", "h.jsonl"]) assert.ok(existsSync(out(f)), f);
  assert.equal(JSON.parse(readFileSync(out("c.json"), "utf8")).schema, "aio-ring-bench/comparison@1");
});
