// docs/ci.md's workflow is real YAML, and every aio-ring-bench command and
// flag it uses exists in the CLI (a renamed flag would break users' CI).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { parse } from "yaml";
import { COMMANDS } from "../src/commands/index.js";
import { REPO } from "./helpers.js";

interface Step {
  run?: string;
  uses?: string;
  if?: string;
  with?: Record<string, unknown>;
}

function workflow(): { on: Record<string, unknown>; jobs: Record<string, { steps: Step[] }> } {
  const text = readFileSync(new URL("docs/ci.md", REPO), "utf8");
  const blocks = [...text.matchAll(/^```yaml\n([\s\S]*?)^```$/gm)];
  assert.equal(blocks.length, 1, "docs/ci.md has one yaml block");
  return parse(blocks[0]![1]!);
}

/** Every `aio-ring-bench <command> args...` invocation in a run script, as words. */
function invocations(script: string): string[][] {
  return script
    .replace(/\\\n/g, " ")
    .split(/\n|&&|;|\|/)
    .map((line) => line.trim().split(/\s+/))
    .flatMap((words) => {
      // The tool as a command (npx aio-ring-bench ...), not a word in another tool's arguments.
      const at = words.findIndex((w, i) => w === "aio-ring-bench" && (i === 0 || words[i - 1] === "npx"));
      return at >= 0 ? [words.slice(at + 1)] : [];
    });
}

test("docs/ci.md: a pull-request workflow that gates, uploads the report and tracks BMF", () => {
  const wf = workflow();
  assert.ok("pull_request" in wf.on, "runs on pull requests");
  const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
  const scripts = steps.flatMap((s) => (s.run ? [s.run] : []));
  assert.ok(
    scripts.some((r) => /aio-ring-bench bench\b/.test(r)),
    "runs the bench",
  );
  assert.ok(
    scripts.some((r) => /aio-ring-bench compare .*--gate exact.*--fail-on-regression/.test(r)),
    "gates stored runs on exact counters only",
  );
  assert.ok(
    scripts.some((r) => /aio-ring-bench ab .*--gate time.*--fail-on-regression/.test(r)),
    "gates time only through ab (with its control)",
  );
  assert.ok(!scripts.some((r) => /aio-ring-bench compare /.test(r) && !/--gate exact/.test(r)), "no stored-run compare gates on time");
  assert.ok(
    steps.some((s) => s.uses?.startsWith("actions/upload-artifact") && String(s.with?.path).includes("report.html")),
    "uploads the HTML report",
  );
  assert.ok(scripts.some((r) => /--bmf \S+/.test(r)) && scripts.some((r) => /bencher run .*--adapter json --file bmf\.json/.test(r)), "sends BMF to Bencher");
});

test("docs/ci.md: every aio-ring-bench command and flag exists in the CLI", async () => {
  const steps = Object.values(workflow().jobs).flatMap((j) => j.steps);
  const calls = steps.flatMap((s) => (s.run ? invocations(s.run) : []));
  assert.ok(calls.length >= 4, `found ${calls.length} invocations`);
  for (const [command, ...args] of calls) {
    assert.ok(command !== undefined && Object.hasOwn(COMMANDS, command), `unknown command ${command}`);
    const { spec } = await COMMANDS[command]!.load();
    for (const arg of args.filter((a) => a.startsWith("--"))) {
      const name = arg.slice(2).split("=")[0];
      assert.ok(
        spec.flags.some((f) => f.name === name),
        `${command} has no flag --${name}`,
      );
    }
  }
});
