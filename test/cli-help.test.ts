// Every command's --help is made from its flag table: each flag the help
// names is accepted, each accepted flag is in the help, exit codes are
// listed, and the CLI prints exactly that text. Plus --version, and the
// terminal helpers (width from COLUMNS, colour from NO_COLOR / FORCE_COLOR).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { helpText, parseCommand } from "../src/commands/args.js";
import { COMMANDS } from "../src/commands/index.js";
import { COLUMN_HELP } from "../src/report/column-help.js";
import { colorEnabled, proseWidth, terminalWidth } from "../src/util/terminal.js";
import { REPO } from "./helpers.js";

const CLI = fileURLToPath(new URL("dist/src/cli.js", REPO));
const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });

/** Every --flag token anywhere in a help text. */
const mentioned = (text: string) => new Set([...text.matchAll(/(?<![\w-])--([a-z][a-z-]*)/g)].map((m) => m[1]));

describe("help and flags agree", () => {
  for (const [name, entry] of Object.entries(COMMANDS)) {
    it(`${name}: flags in the help are accepted, accepted flags are in the help, exit codes listed`, async () => {
      const { spec } = await entry.load();
      const help = helpText(spec);
      for (const flag of mentioned(help)) {
        // Only an unknown option is a failure here; a value the command later refuses is not.
        assert.doesNotThrow(() => parseCommand(spec, [`--${flag}`, "1"], () => {}), `${name} --help names --${flag}, which ${name} rejects`);
      }
      for (const f of spec.flags) {
        assert.match(help, new RegExp(`^  (-${f.short}, )?--${f.name}\\b`, "m"), `${name} accepts --${f.name} but its help does not list it`);
        assert.ok(f.help.trim().length > 0, `${name} --${f.name} has no description`);
      }
      assert.match(help, /^exit codes: 0 /m);
      assert.throws(() => parseCommand(spec, ["--no-such-flag"]), /no-such-flag/);
    });
  }

  it("the CLI prints each command's help text, exit 0", async () => {
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const r = cli(name, "--help");
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, `${helpText((await entry.load()).spec)}\n`);
    }
  });

  it("top-level --help lists every command; --version, -v and -V print the package version; no command is exit 2", () => {
    const help = cli("--help");
    assert.equal(help.status, 0);
    for (const name of Object.keys(COMMANDS)) assert.match(help.stdout, new RegExp(`^  ${name} `, "m"));
    const pkg = JSON.parse(readFileSync(new URL("package.json", REPO), "utf8")) as { version: string };
    for (const flag of ["--version", "-v", "-V"]) {
      const version = cli(flag);
      assert.equal(version.status, 0, flag);
      assert.equal(version.stdout, `aio-ring-bench ${pkg.version}\n`, flag);
    }
    assert.equal(cli().status, 2);
    const unknown = cli("toString");
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command "toString"/);
  });

  it("the README documents every flag of every command", async () => {
    const readme = readFileSync(new URL("README.md", REPO), "utf8");
    for (const [name, entry] of Object.entries(COMMANDS)) {
      const undocumented = (await entry.load()).spec.flags.filter((f) => !new RegExp(`--${f.name}\\b`).test(readme)).map((f) => `--${f.name}`);
      assert.deepEqual(undocumented, [], `${name}: not in the README`);
    }
    for (const flag of ["--version", "-v", "--help"]) assert.ok(readme.includes(`\`${flag}\``), flag);
  });

  it("bench --help explains every column the table prints", () => {
    for (const column of ["median", "±95%", "vs ref", "fit:", "nodes/op", "inconclusive"]) assert.ok(COLUMN_HELP.includes(column), column);
  });
});

describe("terminal", () => {
  const tty = { isTTY: true, columns: 100, hasColors: (env: NodeJS.ProcessEnv) => !env.NO_COLOR } as unknown as NodeJS.WriteStream;
  const pipe = { isTTY: false } as unknown as NodeJS.WriteStream;

  it("width: COLUMNS wins, then the terminal, then 120", () => {
    assert.equal(terminalWidth(tty, { COLUMNS: "80" }), 80);
    assert.equal(terminalWidth(tty, {}), 100);
    assert.equal(terminalWidth(pipe, {}), 120);
    assert.equal(terminalWidth(pipe, { COLUMNS: "wide" }), 120);
  });

  it("prose wraps on a terminal or at COLUMNS, never in a pipe", () => {
    assert.equal(proseWidth(tty, {}), 100);
    assert.equal(proseWidth(pipe, { COLUMNS: "80" }), 80);
    assert.equal(proseWidth(pipe, {}), Number.POSITIVE_INFINITY);
  });

  it("colour: the terminal's own answer (NO_COLOR); a pipe only with FORCE_COLOR", () => {
    assert.equal(colorEnabled(tty, {}), true);
    assert.equal(colorEnabled(tty, { NO_COLOR: "1" }), false);
    assert.equal(colorEnabled(pipe, {}), false);
    assert.equal(colorEnabled(pipe, { FORCE_COLOR: "1" }), true);
    assert.equal(colorEnabled(pipe, { FORCE_COLOR: "0" }), false);
  });
});
