// /dev/stdout, /dev/stderr, /dev/fd/N and links to them as output paths
// (issue 20): written as the stream, like "-", never followed to the file
// behind the descriptor and replaced (`>> log` would lose the log), never
// refused with a wrong reason on a pipe.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { parseRun } from "../src/bench/run-file.js";
import { REPO } from "./helpers.js";

const CLI = fileURLToPath(new URL("dist/src/cli.js", REPO));
const RUN = fileURLToPath(new URL("test/fixtures/run-valid.json", REPO));
const dir = mkdtempSync(join(tmpdir(), "aio-streams-"));
const env = { ...process.env, AIO_RING_BENCH_HOME: join(dir, "home"), NO_COLOR: "1" };
const BENCH = ["bench", "--quick", "--suite", "lookup", "--sizes", "1", "--filter", "hash/wasm"];

/** Runs the CLI with stdout appended to `file` (`>> file`), which already holds a precious line. */
function appendedTo(file: string, args: string[]) {
  writeFileSync(file, "precious\n");
  const fd = openSync(file, "a");
  try {
    const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", cwd: dir, env, stdio: ["ignore", fd, "pipe"] });
    return { status: r.status, stderr: r.stderr, text: readFileSync(file, "utf8") };
  } finally {
    closeSync(fd);
  }
}

function piped(args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", cwd: dir, env });
}

describe("standard streams as output paths", () => {
  it("bench --json /dev/stdout >> log appends the run JSON to log; the tables go to stderr", () => {
    const r = appendedTo(join(dir, "bench.log"), [...BENCH, "--json", "/dev/stdout"]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.text.startsWith("precious\n{"), r.text.slice(0, 40));
    assert.equal(parseRun(r.text.slice("precious\n".length), "log").results.length, 1);
    assert.match(r.stderr, /run JSON: .*standard output/);
  });

  it("on a pipe, /dev/stdout and /dev/fd/1 are standard output, not ENOENT", () => {
    for (const path of ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"]) {
      const r = piped([...BENCH, "--json", path]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(parseRun(r.stdout, path).results.length, 1);
      assert.ok(!existsSync(join(dir, "pipe:")), "no file made from the pipe's name");
    }
  });

  it("report --html /dev/stdout and compare --markdown /dev/stdout >> log keep the log", () => {
    const html = appendedTo(join(dir, "report.log"), ["report", RUN, "--html", "/dev/stdout"]);
    assert.equal(html.status, 0, html.stderr);
    assert.match(html.text, /^precious\n<!doctype html>/);
    assert.doesNotMatch(html.text, /^wrote /m);
    const md = appendedTo(join(dir, "compare.log"), ["compare", RUN, RUN, "--markdown", "/dev/stdout"]);
    assert.equal(md.status, 0, md.stderr);
    assert.match(md.text, /^precious\n## Benchmark comparison/);
    assert.doesNotMatch(md.text, /^old: /m, "the human table is on stderr");
  });

  it("/dev/stderr is standard error; a link to /dev/stdout is standard output", () => {
    const err = piped(["compare", RUN, RUN, "--markdown", "/dev/stderr"]);
    assert.equal(err.status, 0, err.stderr);
    assert.match(err.stderr, /## Benchmark comparison/);
    assert.ok(!err.stdout.includes("## Benchmark comparison"));
    const link = join(dir, "to-stdout");
    symlinkSync("/dev/stdout", link);
    const r = appendedTo(join(dir, "link.log"), ["report", RUN, "--html", link]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.text, /^precious\n<!doctype html>/);
  });

  it("another descriptor, two outputs on stdout, or a history on stdout: refused with the reason, exit 2", () => {
    const cases: [string[], RegExp][] = [
      [["--json", "/dev/fd/7"], /^aio-ring-bench: --json \/dev\/fd\/7: cannot write: file descriptor 7; only standard output/],
      [["--json", "/dev/stdout", "--csv", "-"], /only one output can go to standard output \("-", \/dev\/stdout\), got --json and --csv/],
      [["--history", "/dev/stdout"], /--history \/dev\/stdout: cannot write: a standard stream, and this file is read back and rewritten/],
      [["--json", `/proc/${process.pid}/fd/1`], /a file descriptor of another process/],
    ];
    for (const [args, message] of cases) {
      const r = piped([...BENCH, ...args]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, message);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    }
  });

  it("a typo'd output folder is refused, not created", () => {
    const r = piped([...BENCH, "--json", join(dir, "typo", "sub", "x.json")]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /cannot write: folder .*typo\/sub does not exist/);
    assert.ok(!existsSync(join(dir, "typo")));
  });
});
