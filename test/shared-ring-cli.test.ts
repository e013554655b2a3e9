// `stress` as a user runs it: the verdict it prints, the record it writes
// (atomically, also when a worker fails or Ctrl-C stops it), its exit codes.
// Runs the command module in a child process, with the state folder in a
// scratch directory so the record lands there.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { REPO } from "./helpers.js";

const COMMAND = fileURLToPath(new URL("dist/src/commands/stress.js", REPO));
/** The CLI's contract for a command: exit with run()'s code; a UserError prints one line and exits with its code. */
const ENTRY = `import(${JSON.stringify(COMMAND)}).then((m) => m.run(process.argv.slice(1))).then(
  (code) => { process.exitCode = code; },
  (e) => { console.error("aio-ring-bench: " + e.message); process.exitCode = e.exitCode ?? 1; })`;

function scratch(): string {
  return mkdtempSync(join(tmpdir(), "aio-stress-"));
}

function stress(cwd: string, ...args: string[]) {
  return spawnSync(process.execPath, ["-e", ENTRY, "--", ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, AIO_RING_BENCH_HOME: join(cwd, ".aio-ring-bench") },
  });
}

function record(cwd: string) {
  const dir = join(cwd, ".aio-ring-bench");
  assert.deepEqual(readdirSync(dir), ["stress-last.json"], "only the record, no temp file left behind");
  return JSON.parse(readFileSync(join(dir, "stress-last.json"), "utf8"));
}

describe("stress command", () => {
  it("runs a few million events across producers and reapers and reports exactly-once", () => {
    const cwd = scratch();
    const r = stress(cwd, "--events", "3M", "--producers", "2", "--reapers", "2");
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /events checked: 3\.00M of 3\.00M in [\d.]+ s: [\d.]+[kMG]? events\/s/);
    assert.match(r.stdout, /verdict: exactly-once: all 3\.00M events delivered once, in order per producer/);
    const doc = record(cwd);
    assert.equal(doc.schema, "aio-ring-bench/stress@1");
    assert.equal(doc.result.verdict, "exactly-once");
    assert.deepEqual(doc.result.delivered, [1_500_000, 1_500_000]);
    assert.equal(doc.error, null);
  });

  it("a dying worker fails the run (exit 1), names the task and still writes what completed", () => {
    const cwd = scratch();
    const r = stress(cwd, "--events", "20M", "--inject", "exit");
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /verdict: FAILED \(worker-failure\): pool task test-exit failed: worker exited with code: 3/);
    const doc = record(cwd);
    assert.equal(doc.error_kind, "worker-failure");
    assert.equal(
      doc.result.delivered.reduce((a: number, b: number) => a + b, 0),
      doc.result.released,
    );
  });

  it("a duplicate fails the run and the record names producer, expected and got", () => {
    const cwd = scratch();
    const r = stress(cwd, "--events", "20M", "--inject", "repeat-seq");
    assert.equal(r.status, 1, r.stderr);
    const doc = record(cwd);
    assert.equal(doc.error_kind, "delivery-fault");
    assert.match(doc.error, /duplicate or out of order: producer \d+ expected seq (\d+), got \d+/);
  });

  it("every injected fault is caught at the smallest run that can hold it; a run too small for one is refused up front", () => {
    // exit and repeat-seq are caught in the long runs above.
    for (const kind of ["skip-seq", "throw"]) {
      const cwd = scratch();
      const r = stress(cwd, "--events", "4", "--inject", kind);
      assert.equal(r.status, 1, `${kind}: ${r.stdout}${r.stderr}`);
      assert.equal(record(cwd).error_kind, kind.endsWith("-seq") ? "delivery-fault" : "worker-failure", kind);
    }
    const cwd = scratch();
    const r = stress(cwd, "--events", "2", "--inject", "skip-seq");
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr.trim(), /^aio-ring-bench: --inject skip-seq: .* producer 0 fewer than two \(use --events 4 or more\)$/);
    assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
  });

  it("Ctrl-C stops the workers, prints and writes what completed, exit 130", async () => {
    const cwd = scratch();
    const child = spawn(process.execPath, ["-e", ENTRY, "--", "--events", "100G"], {
      cwd,
      env: { ...process.env, AIO_RING_BENCH_HOME: join(cwd, ".aio-ring-bench") },
    });
    let stdout = "";
    child.stdout.setEncoding("utf8");
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk: string) => {
        stdout += chunk;
        // The banner comes after the SIGINT handler is installed.
        if (stdout.includes("stress: ")) setTimeout(resolve, 300);
      });
      void exited.then(() => resolve());
    });
    child.kill("SIGINT");
    const code = await exited;
    assert.equal(code, 130, stdout);
    assert.match(stdout, /verdict: interrupted; the .* events checked so far arrived exactly once/);
    const doc = record(cwd);
    assert.equal(doc.interrupted, true);
    assert.equal(doc.result.verdict, "interrupted");
    assert.ok(doc.result.released < 100e9);
    assert.equal(
      doc.result.delivered.reduce((a: number, b: number) => a + b, 0),
      doc.result.released,
    );
  });

  it("rejects bad input with one line and exit 2", () => {
    const r = stress(scratch(), "--events", "lots");
    assert.equal(r.status, 2);
    assert.equal(r.stderr.trim(), 'aio-ring-bench: --events: expected an integer from 1 to 1099511627776, got "lots"');
  });
});
