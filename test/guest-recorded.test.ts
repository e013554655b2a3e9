// Recorded truth per guest kernel: test/recorded/<series>/ holds what that
// kernel answered for every parity scenario (npm run record -- --kernel
// SERIES, under QEMU). Both models, as the profile measured on that series,
// must give the same outcome (results and scenario error) on every machine,
// with or without QEMU.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { PROFILES, profileForRelease } from "../src/contract/profile.js";
import { AioProcess } from "../src/model/aio.js";
import { WasmProcess } from "../src/core/wasm-backend.js";
import { firstDifference, formatDifference, runOutcome } from "../src/fuzz/outcome.js";
import { readScenarioFile, resultsConfig } from "../src/scenario/index.js";
import type { ResultsDoc } from "../src/contract/scenario.js";
import { REPO } from "./helpers.js";

const scenarios = fileURLToPath(new URL("test/scenarios/", REPO));
const recorded = fileURLToPath(new URL("test/recorded/", REPO));
const files = readdirSync(scenarios)
  .filter((f) => f.endsWith(".json"))
  .sort();
// A series folder per guest (no-zero-page/ beside them is the host's second set: kernel-parity).
const kernels = readdirSync(recorded).filter((d) => /^\d+\.\d+$/.test(d) && statSync(recorded + d).isDirectory());

type Recorded = ResultsDoc & { scenario_error: { step: number; field: string | null } | null };
const load = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Recorded;

it("recorded truth exists for the two LTS series", () => {
  assert.deepEqual([...kernels].sort(), ["6.1", "6.12"]);
});

for (const series of kernels) {
  describe(`models vs recorded ${series} guest`, () => {
    it("every parity scenario has a recording, each from a kernel of this series", () => {
      for (const f of files) {
        const truth = load(`${recorded}${series}/${f}`);
        assert.ok(truth.kernel?.startsWith(`${series}.`), `${f}: recorded on ${truth.kernel}`);
        assert.equal(profileForRelease(truth.kernel ?? "").series, series, `${f}: no profile for ${truth.kernel}`);
      }
    });
    for (const f of files) {
      it(f, () => {
        const truth = load(`${recorded}${series}/${f}`);
        const profile = profileForRelease(truth.kernel ?? "");
        const config = resultsConfig(truth);
        const scenario = readScenarioFile(scenarios + f);
        const kernel = { results: truth.results, scenarioError: truth.scenario_error };
        for (const [name, backend] of [
          ["model", new AioProcess(profile, config)],
          ["wasm", new WasmProcess(profile, config)],
        ] as const) {
          const d = firstDifference(kernel, runOutcome(backend, scenario, f));
          assert.equal(d, null, d ? `${name} as ${profile.name} vs ${truth.kernel}: ${formatDifference(d, name)}` : "");
        }
      });
    }
  });
}

// One scenario per way the LTS kernels differ from 6.18: the recordings themselves must show it, and mainline must not predict them.
describe("each LTS difference class parts from 6.18 in its recordings", () => {
  for (const f of files.filter((x) => x.startsWith("lts-"))) {
    it(f, () => {
      const host = load(recorded + f);
      for (const series of kernels) {
        const guest = load(`${recorded}${series}/${f}`);
        assert.notDeepEqual(guest.results, host.results, `${series} answered ${f} as ${host.kernel} did`);
        const scenario = readScenarioFile(scenarios + f);
        const config = { cpus: guest.cpus, aio_max_nr: guest.aio_max_nr, aio_nr: guest.aio_nr, zero_page: guest.zero_page ?? true };
        const asMainline = runOutcome(new AioProcess(PROFILES.mainline, config), scenario, f);
        assert.notEqual(firstDifference({ results: guest.results, scenarioError: guest.scenario_error }, asMainline), null);
      }
    });
  }
});

// Debian's 6.1.0-50 (6.1.176) answered submit-ioprio before the 6.1 series took priority hints (6.1.191 or .192, FINDINGS 46).
it('6.1.0-50 read priority hints as data: v6.1 with ioprio "data" gives its answers, v6.1 as measured now does not', () => {
  const f = "submit-ioprio.json";
  const truth = JSON.parse(readFileSync(fileURLToPath(new URL("test/fixtures/submit-ioprio-6.1.0-50.json", REPO)), "utf8")) as Recorded;
  assert.equal(truth.kernel, "6.1.0-50-cloud-amd64");
  const kernel = { results: truth.results, scenarioError: truth.scenario_error };
  const scenario = readScenarioFile(scenarios + f);
  const config = resultsConfig(truth);
  const asData = { ...PROFILES["v6.1"], ioprio: "data" as const };
  for (const backend of [new AioProcess(asData, config), new WasmProcess(asData, config)])
    assert.equal(firstDifference(kernel, runOutcome(backend, scenario, f)), null);
  assert.notEqual(firstDifference(kernel, runOutcome(new AioProcess(PROFILES["v6.1"], config), scenario, f)), null);
});
