// Parity: the live kernel still gives the recorded truth for every scenario.
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { defaultProbePath } from "../src/kernel/paths.js";
import { fileURLToPath } from "node:url";
import { kernelAvailability, runScenarioOnKernel } from "../src/kernel/probe.js";
import { isDeepStrictEqual } from "node:util";
import { parseScenario } from "../src/scenario/parse.js";
import { resultsConfig, runScenario } from "../src/scenario/index.js";
import { encodeScenario } from "../src/kernel/wire.js";
import type { ResultsDoc } from "../src/contract/scenario.js";
import { ScenarioError } from "../src/contract/errors.js";
import { AIO_NR_MOVED_NOTE } from "../src/kernel/machine-state.js";
import { answerDependsOnHeld, limitStateReason, liveLimits } from "./helpers.js";
import { possibleCpus } from "../src/util/possible-cpus.js";
import { withKernelLock } from "./kernel-lock.js";

const scenarios = fileURLToPath(new URL("../../test/scenarios/", import.meta.url));
const recorded = fileURLToPath(new URL("../../test/recorded/", import.meta.url));
const files = readdirSync(scenarios)
  .filter((f) => f.endsWith(".json"))
  .sort();
const avail = kernelAvailability();
/** Whether the live kernel's read faults map the zero page: the probe reports it with every answer (an empty program asks). */
const liveZeroPage = avail.available ? (await runScenarioOnKernel("zero-page", { name: "zero-page", steps: [] })).zero_page : null;
/** Host recordings come in two sets: kernels that map the zero page, and kernels whose read faults allocate pages. */
const NO_ZERO_PAGE = `${recorded}no-zero-page/`;

/**
 * Why this machine cannot reproduce a recording made elsewhere, or null.
 * `zeroPage` is what the run will have: a scenario (or the no-zero-page set)
 * that asks for no zero page gets it, emulated where the kernel maps the zero
 * page (FINDINGS 35); the zero page cannot be emulated on a kernel without it.
 */
function mismatch(truth: ResultsDoc, zeroPage: boolean | null): string | null {
  if (!avail.available) return `kernel backend unavailable: ${avail.reason}`;
  const here = readFileSync("/proc/sys/kernel/osrelease", "utf8").trim();
  const series = (r: string) => r.split(".").slice(0, 2).join(".");
  if (series(here) !== series(truth.kernel ?? "")) return `recorded on ${truth.kernel}, this is ${here}`;
  if (possibleCpus() !== truth.cpus) return `recorded with ${truth.cpus} possible CPUs, this machine has ${possibleCpus()}`;
  // A recording without the field was made on a kernel that maps the zero page (FINDINGS 33).
  const recordedZeroPage = truth.zero_page ?? true;
  if (zeroPage !== recordedZeroPage)
    return `recorded on a kernel whose read faults ${recordedZeroPage ? "map the zero page" : "allocate pages (no zero page)"}, this one's ${zeroPage ? "map the zero page" : "allocate pages"}: anonymous memory merges differently (FINDINGS 33)`;
  return null;
}

const aioNr = () => liveLimits().aio_nr;

/** The tests below need the probe and the live kernel: skipped, saying why, where the backend is unavailable. */
const probeSkip = { skip: avail.available ? false : `kernel backend unavailable: ${avail.reason}` };

/** probe/fault_watch.h's NO_WRITE_BACK_REFUSAL, read from there. */
const NO_WRITE_BACK = /NO_WRITE_BACK_REFUSAL\s*\\\s*"([^"]+)"/.exec(readFileSync(new URL("../../probe/fault_watch.h", import.meta.url), "utf8"))?.[1];

/** The probe's answer to wire text it must refuse: exit 1 and the probe_error it names. */
function probeRefusal(input: string): string {
  const r = spawnSync(defaultProbePath(), ["scenario"], { input, encoding: "utf8" });
  assert.equal(r.status, 1, input);
  return JSON.parse(r.stdout).probe_error;
}

test("a scenario without the zero page is emulated where the kernel maps it, and says so", probeSkip, () =>
  withKernelLock(async () => {
    const f = "remap-anon-merge-with-source.json";
    const asked = parseScenario(readFileSync(scenarios + f, "utf8"), scenarios + f);
    assert.equal(asked.zero_page, false);
    const { zero_page: _, ...native } = asked;
    const emulated = await runScenarioOnKernel(f, asked);
    const plain = await runScenarioOnKernel(f, native);
    assert.equal(emulated.zero_page, false);
    assert.equal(emulated.zero_page_emulated, liveZeroPage ? true : undefined);
    assert.equal(plain.zero_page, liveZeroPage);
    assert.equal(plain.zero_page_emulated, undefined);
    // The lookup's read changes nothing with the zero page: what is left of the source still merges when moved.
    const ringPages = (d: ResultsDoc) => d.results.filter((r) => r.op === "ring").map((r) => r.pages);
    assert.deepEqual(ringPages(emulated), [5, 12, 5, 1, 4, 12, 4]);
    if (liveZeroPage) assert.deepEqual(ringPages(plain), [5, 12, 10, 10, 10, 18, 4]);
  }),
);

test("without the zero page, a thread's context lookup allocates the page it reads, as io_getevents' does", probeSkip, () =>
  withKernelLock(async () => {
    // The fuzzer's find: the thread's bogus ctx read the page, and on a kernel with the zero page that page stayed
    // unfaulted, so moving it let its VMA merge (12 pages) where an allocated page keeps it apart (9, the models).
    const scenario = parseScenario(
      JSON.stringify({
        name: "thread-lookup-read-fault",
        zero_page: false,
        steps: [
          { op: "mmap", pages: 23, name: "S" },
          { op: "io_setup", nr_events: 1, name: "GR" },
          { op: "mremap", addr: "GR", old_pages: 1, new_pages: 1, to: "S+15" },
          { op: "thread_getevents", name: "T3", ctx: "S+1", nr: 1, timeout_ns: null },
          { op: "mremap", addr: "S+1", old_pages: 2, new_pages: 2, to: "S+4" },
          { op: "ring", ctx: "S+6" },
        ],
      }),
      "thread-lookup-read-fault",
    );
    const kernel = await runScenarioOnKernel("thread-lookup-read-fault", scenario);
    const model = await runScenario("thread-lookup-read-fault", scenario, { backend: "model", config: resultsConfig(kernel) });
    assert.deepEqual(kernel.results, model.results);
    assert.equal(kernel.results.at(-1)?.pages, 9);
  }),
);

test("the emulation's refusal is read from the probe's header", () => assert.match(NO_WRITE_BACK ?? "", /cannot be emulated without the zero page/));

test("the probe takes the no-zero-page line only before the first step", probeSkip, () => {
  // One step as the wire encoder writes it, then the line that may only come first.
  const input = `${encodeScenario("w.json", { name: "w", steps: [{ op: "mmap", pages: 1, name: "S" }] }).text}zero_page 0\n`;
  assert.equal(probeRefusal(input), "wire line 2: zero_page after a step");
});

test("the probe refuses an mmap align that is not a power of two of pages, too large, or with an address", probeSkip, () => {
  for (const input of [
    "mmap 1 0 - replace 3 private rw -\n",
    `mmap 1 0 - replace ${2 ** 19} private rw -\n`,
    "mmap 1 0 - replace -2 private rw -\n",
    "mmap 1 0 N0+0+0 replace 2 private rw -\n",
  ]) {
    assert.equal(probeRefusal(input), "wire line 1: bad mmap align", input);
  }
});

test("the probe refuses a number outside its field's bounds, naming the field", probeSkip, () => {
  for (const [input, said] of [
    ["ftruncate -1\n", "wire line 1: size out of range"],
    ["buf_fill 0 1 256\n", "wire line 1: value out of range"],
    ["buf_fill 0 1 -1\n", "wire line 1: value out of range"],
    ["mmap 1 0 - replace 0 private rw -\nfill N0+0+0 1 256\n", "wire line 2: value out of range"],
    ["mmap 1 0 - replace 0 private rw -\nfill N0+0+0 0 1\n", "wire line 2: pages out of range"],
    // One call's charge (MAX_MAPPING_PAGES, FINDINGS 60): what every backend refuses past.
    [`mmap ${2 ** 19 + 1} 0 - replace 0 private rw -\n`, "wire line 1: pages out of range"],
    [`mmap 1 0 - replace 0 private rw -\nmremap N0+0+0 1 ${2 ** 19 + 1} - - maymove\n`, "wire line 2: new_pages out of range"],
    [`mmap 1 0 - replace 0 private rw -\nfork_mremap N0+0+0 ${2 ** 19 + 1} N0+0+0\n`, "wire line 2: pages out of range"],
    ["mmap 1 0 - replace 0 public rw -\n", "wire line 1: bad mmap map type"],
    ["mmap 1 0 - replace 0 shared wx -\n", "wire line 1: bad mmap prot"],
    ["mmap 1 0 - replace 0 shared rw -1\n", "wire line 1: file page out of range"],
    [`mmap 1 0 - replace 0 shared rw ${2 ** 19 + 1}\n`, "wire line 1: file page out of range"],
    ["mmap 1 0 - fixed 0 private rw -\n", "wire line 1: bad mmap flags"],
    ["mmap 1 0 - replace 0 private rw -\nmremap N0+0+0 1 1 - - move\n", "wire line 2: bad mremap flags"],
  ]) {
    assert.equal(probeRefusal(input), said, input);
  }
});

test("the probe takes one tmpfs line, before the first step, of whole pages from 16 KiB to 16 MiB", probeSkip, () => {
  for (const [input, said] of [
    ["mmap 1 0 - replace 0 private rw -\ntmpfs 65536\n", "wire line 2: tmpfs after a step or twice"],
    ["tmpfs 65536\ntmpfs 65536\n", "wire line 2: tmpfs after a step or twice"],
    ["tmpfs 65537\n", "wire line 1: tmpfs size out of range"],
    ["tmpfs 12288\n", "wire line 1: tmpfs size out of range"],
    [`tmpfs ${2 ** 24 + 4096}\n`, "wire line 1: tmpfs size out of range"],
  ]) {
    assert.equal(probeRefusal(input), said, input);
  }
});

test("the parity suite has at least 40 scenarios, each with a recording in both host sets", () => {
  assert.ok(files.length >= 40, `only ${files.length} scenarios`);
  for (const dir of [recorded, NO_ZERO_PAGE]) {
    const rec = new Set(readdirSync(dir));
    for (const f of files) assert.ok(rec.has(f), `no recording for ${f} in ${dir}`);
  }
  for (const f of files)
    assert.equal(JSON.parse(readFileSync(NO_ZERO_PAGE + f, "utf8")).zero_page, false, `${NO_ZERO_PAGE}${f} is from a kernel without the zero page`);
  // The docs give the suite's size: keep them true.
  const said = (doc: string, re: RegExp) => Number(re.exec(readFileSync(new URL(`../../${doc}`, import.meta.url), "utf8"))?.[1]);
  assert.equal(said("README.md", /parity suite \((\d+)/), files.length, "README.md");
  assert.equal(said("docs/scenario-format.md", /\((\d+) today\)/), files.length, "docs/scenario-format.md");
});

for (const dir of [recorded, NO_ZERO_PAGE])
  for (const f of files) {
    const truth = JSON.parse(readFileSync(dir + f, "utf8")) as ResultsDoc;
    const written = parseScenario(readFileSync(scenarios + f, "utf8"), scenarios + f);
    const scenario = dir === NO_ZERO_PAGE ? { ...written, zero_page: false } : written;
    const skip = mismatch(truth, scenario.zero_page === false ? false : (liveZeroPage ?? null));
    test(`kernel matches recorded truth: ${dir.slice(recorded.length)}${f}`, { skip: skip ?? false }, (t) =>
      withKernelLock(async () => {
        // Contexts of a process that just ended are freed a grace period later:
        // wait for aio-nr to be what it was, or to hold still (another process's share).
        for (let i = 0, still = 0, last = aioNr(); i < 60 && last !== truth.aio_nr && still < 4; i++) {
          await sleep(50);
          const now = aioNr();
          still = now === last ? still + 1 : 0;
          last = now;
        }
        const file = scenarios + f;
        // aio-nr is the machine's: other processes (a database, another test
        // run) may hold part of the limit. The recording still holds where the
        // held contexts cannot change the answer, which the model decides.
        const live = liveLimits();
        const reason = await limitStateReason(file, scenario, truth);
        if (reason !== null) return t.skip(reason);
        // Contexts set up and freed next door during the run leave aio-nr as
        // it was, but can take the limit a step needed (its io_setup EAGAIN, a
        // later step's name unbound); the probe counts the steps after which
        // aio-nr had moved. Where the model says held contexts change the
        // answer, a run that disagrees is made again, twice at most, and a
        // third that disagrees while the probe saw aio-nr move is skipped, saying so.
        const attempt = () => runScenarioOnKernel(file, scenario).catch((e: unknown) => (e instanceof ScenarioError ? e : Promise.reject(e)));
        const agrees = (r: Awaited<ReturnType<typeof attempt>>) => !(r instanceof ScenarioError) && isDeepStrictEqual(r.results, truth.results);
        const disturbed = (r: Awaited<ReturnType<typeof attempt>>) =>
          r instanceof ScenarioError ? r.message.includes(AIO_NR_MOVED_NOTE) : (r.aio_nr_moved ?? 0) > 0;
        let run = await attempt();
        // Only a disagreement asks the model (twice) whether others' contexts could have caused it.
        const bound = !agrees(run) && (await answerDependsOnHeld(file, scenario, truth));
        for (let again = 1; again <= 2 && bound && !agrees(run); again++) {
          t.diagnostic(`run ${again} disagreed with the recording${disturbed(run) ? " while aio-nr moved" : ""}; running again`);
          run = await attempt();
        }
        if (bound && !agrees(run) && disturbed(run)) return t.skip(`${AIO_NR_MOVED_NOTE}: 3 runs disagreed with the recording`);
        // The one read the emulation cannot make (FINDINGS 35): a recording of the other build this machine cannot replay.
        if (run instanceof ScenarioError && run.detail === NO_WRITE_BACK) return t.skip(`emulated without the zero page: step ${run.step}: ${run.detail}`);
        if (run instanceof ScenarioError) throw run;
        const { aio_nr_moved: _m, ...got } = run;
        const moved = got.aio_nr !== live.aio_nr || aioNr() !== live.aio_nr;
        if (!isDeepStrictEqual(got.results, truth.results) && moved)
          return t.skip(`another process changed aio-nr during the run (${live.aio_nr}, then ${got.aio_nr}, then ${aioNr()})`);
        assert.equal(got.backend, "kernel");
        assert.equal(got.profile, null);
        assert.deepEqual(got.results, truth.results);
        // Whether the probe emulated the answer's read faults is this machine's business, not the recording's.
        const { zero_page_emulated: _g, ...gotDoc } = got;
        const { zero_page_emulated: _t, ...truthDoc } = truth;
        // The header gives aio-nr as the probe found it: when another process's contexts came or went
        // between our reading and the probe's (a fuzzer next door, seen here), that figure is theirs.
        assert.deepEqual(
          { ...gotDoc, results: null, kernel: null, ...(moved ? { aio_nr: live.aio_nr } : {}) },
          { ...truthDoc, ...live, zero_page: truth.zero_page ?? true, results: null, kernel: null },
        );
      }),
    );
  }
