// The scenario CLI on good and malformed input: one-line errors naming the
// file, step index and field, exit code 2, never a stack trace.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { ScenarioError } from "../src/contract/errors.js";
import { parseScenario } from "../src/scenario/parse.js";
import { fencedBlocks, REPO } from "./helpers.js";

const CLI = fileURLToPath(new URL("dist/src/cli.js", REPO));
const dir = mkdtempSync(join(tmpdir(), "aio-scenario-"));

function cli(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
}

function scenarioFile(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, body);
  return file;
}

const doc = (steps: unknown[], extra: object = {}) => JSON.stringify({ name: "t", cpus: 2, ...extra, steps });

describe("scenario CLI", () => {
  it("runs the format's first example on both model backends with identical documents (but for the backend name)", () => {
    // The first example of docs/scenario-format.md, taken from the document itself.
    const blocks = fencedBlocks(readFileSync(new URL("docs/scenario-format.md", REPO), "utf8"));
    const example = blocks.find((b) => b.info === "json scenario")!.body;
    const file = scenarioFile("example.json", example);
    const docs = ["model", "wasm"].map((b) => {
      const r = cli("scenario", file, "--backend", b);
      assert.equal(r.status, 0, r.stderr);
      return JSON.parse(r.stdout);
    });
    assert.equal(docs[0].backend, "model");
    assert.deepEqual({ ...docs[0], backend: "wasm" }, docs[1]);
    assert.deepEqual(
      docs[0].results.map((r: { errno?: string | null; kind?: string }) => ("kind" in r ? r.kind : r.errno)),
      [null, null, null, null, "EINVAL", null, null, null, "none", "anon"],
    );
  });

  const bad: [string, string, RegExp][] = [
    ["bad JSON", "{ not json", /bad-JSON\.json: not valid JSON/],
    ["unknown op", doc([{ op: "io_setup", nr_events: 1, name: "A" }, { op: "io_frobnicate" }]), /step 1: field "op": unknown op "io_frobnicate"/],
    ["missing field", doc([{ op: "io_setup", name: "A" }]), /step 0: field "nr_events": missing/],
    ["wrongly typed field", doc([{ op: "io_setup", nr_events: "many", name: "A" }]), /step 0: field "nr_events": /],
    ["unknown field", doc([{ op: "page", addr: 0, colour: "red" }]), /step 0: field "colour": unknown field/],
    ["unbound name", doc([{ op: "io_destroy", ctx: "Nope" }]), /step 0: field "ctx": name "Nope" is not bound/],
    [
      "blocking call",
      doc([
        { op: "io_setup", nr_events: 1, name: "A" },
        { op: "io_getevents", ctx: "A", min_nr: 1, nr: 1, timeout_ns: null },
      ]),
      /step 1: field "min_nr": would block forever/,
    ],
    ["bad address expression", doc([{ op: "page", addr: "../etc" }]), /step 0: field "addr": /],
    ["unknown profile", doc([], { profile: "v9.9" }), /field "profile": /],
    ["count out of bounds", doc([{ op: "mmap", pages: 1e12, name: "X" }]), /step 0: field "pages": /],
    ["steps not an array", JSON.stringify({ name: "t", steps: 3 }), /field "steps": /],
  ];
  for (const [what, body, message] of bad) {
    it(`${what}: one line naming file, step and field; exit 2`, () => {
      const file = scenarioFile(`${what.replace(/ /g, "-")}.json`, body);
      for (const backend of ["model", "wasm"]) {
        const r = cli("scenario", file, "--backend", backend);
        assert.equal(r.status, 2, `${backend}: ${r.stderr}`);
        assert.match(r.stderr, message);
        assert.match(r.stderr, new RegExp(`^aio-ring-bench: ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: `));
        assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
        assert.equal(r.stdout, "", "nothing is printed for a bad scenario");
      }
    });
  }

  it("a bad file anywhere in the list stops the run before any output", () => {
    const good = scenarioFile("good.json", doc([{ op: "io_setup", nr_events: 1, name: "A" }]));
    const broken = scenarioFile("broken.json", "[]");
    const r = cli("scenario", good, broken, "--backend", "model");
    assert.equal(r.status, 2);
    assert.equal(r.stdout, "");
  });

  it("bad flags and missing files exit 2 with a clear message", () => {
    assert.match(cli("scenario", "--backend", "qemu", "x.json").stderr, /--backend: unknown backend "qemu"/);
    assert.match(cli("scenario", "--profile", "v2.6", "x.json").stderr, /--profile: unknown profile "v2.6"/);
    assert.match(cli("scenario", "--frobnicate").stderr, /frobnicate/);
    const missing = cli("scenario", join(dir, "absent.json"));
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /absent\.json: scenario file does not exist/);
  });

  it("--profile overrides the scenario's own profile", () => {
    const file = scenarioFile(
      "grow.json",
      doc(
        [
          { op: "io_setup", nr_events: 1, name: "A" },
          { op: "mremap", addr: "A", old_pages: 1, new_pages: 2 },
        ],
        { profile: "mainline" },
      ),
    );
    const errnoOf = (args: string[]) => JSON.parse(cli("scenario", file, "--backend", "model", ...args).stdout).results[1].errno;
    assert.equal(errnoOf([]), "EFAULT");
    assert.equal(errnoOf(["--profile", "v3.18"]), null);
  });
});

describe("parseScenario", () => {
  it("refuses oversized files and bounds counts", () => {
    assert.throws(() => parseScenario(" ".repeat((1 << 20) + 1), "big.json"), /larger than/);
    assert.throws(
      () => parseScenario(doc([{ op: "io_submit", ctx: "A", count: 1 << 21, cmd: "pread", data: 0 }]), "f.json"),
      (e) => e instanceof ScenarioError && e.step === 0 && e.field === "count",
    );
  });

  it("refuses an mmap align that is not a power of two from 2 to 2^18 pages, or comes with at, naming the field", () => {
    for (const bad of [3, 1, 2 ** 19, 0]) {
      assert.throws(
        () => parseScenario(doc([{ op: "mmap", pages: 1, name: "X", align: bad }]), "f.json"),
        (e) => e instanceof ScenarioError && e.step === 0 && e.field === "align",
        String(bad),
      );
    }
    assert.throws(
      () =>
        parseScenario(
          doc([
            { op: "mmap", pages: 1, name: "X" },
            { op: "mmap", pages: 1, name: "Y", at: "X", align: 2 },
          ]),
          "f.json",
        ),
      (e) => e instanceof ScenarioError && e.step === 1 && e.field === "align" && /not with `at`/.test(e.message),
    );
    assert.equal(parseScenario(doc([{ op: "mmap", pages: 1, name: "X", align: 2 ** 18 }]), "f.json").steps.length, 1);
  });

  it("accepts every op of docs/scenario-format.md", () => {
    const steps = [
      { op: "io_setup", nr_events: 1, name: "A", ctxp: "nonzero" },
      { op: "io_destroy", ctx: "A" },
      { op: "io_submit", ctx: "A", count: 1, cmd: "pwrite", data: 5, fd: "bad" },
      { op: "io_getevents", ctx: "A", min_nr: 0, nr: 1, timeout_ns: null },
      { op: "user_reap", ctx: "A", max: 1 },
      { op: "ring", ctx: "A+1b" },
      { op: "mmap", pages: 1, name: "X" },
      { op: "munmap", addr: "X+2", pages: 1 },
      { op: "mremap", addr: "X", old_pages: 1, new_pages: 1, to: "bogus", name: "Y" },
      { op: "fork_mremap", addr: "X", pages: 1, to: 0 },
      { op: "page", addr: "X" },
    ];
    assert.equal(parseScenario(doc(steps), "all.json").steps.length, steps.length);
  });
});
