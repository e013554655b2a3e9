// Hostile paths (issue 13): every output path kind, every input kind,
// file-system errors and the state folder. Cases that need root or mounts
// skip with why.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { dir, fifo, home, isRoot, mknod, run, tinySuite, tmpfs, userError } from "./helpers/hostile.js";

const { checkOutput, readInput, writeOutput, cleanStaleTemps } = await import("../src/util/files.js");
const { ensureStateDir, lastRunFile, projectFolder, stateDir } = await import("../src/bench/state.js");
const { readHistory } = await import("../src/bench/history.js");
const { readRunFile } = await import("../src/bench/run-file.js");
const { parseBenchFlags } = await import("../src/commands/bench-flags.js");
const compareCmd = await import("../src/commands/compare.js");
const { readScenarioFile } = await import("../src/scenario/index.js");
const { REPO } = await import("./helpers.js");

describe("output paths", () => {
  it("devices (also mknod copies), FIFOs and directories are refused before anything is written", (t) => {
    const nullCopy = mknod("null-copy", 1, 3);
    const targets = ["/dev/null", "/dev/full", fifo("out-fifo"), dir];
    if (typeof nullCopy === "string") targets.push(nullCopy);
    else t.diagnostic(`mknod copy skipped: ${nullCopy.skip}`);
    for (const path of targets) {
      assert.throws(() => checkOutput(path, "--json"), userError(/^--json .*: cannot write: a (device|FIFO|directory), not a regular file/));
      assert.throws(() => writeOutput(path, "x"), userError(/cannot write: a (device|FIFO|directory)/));
    }
    assert.ok(statSync("/dev/null").isCharacterDevice(), "/dev/null is still a device");
    if (typeof nullCopy === "string") assert.ok(statSync(nullCopy).isCharacterDevice());
  });

  it("a symlink's target is written and the link stays; an existing file keeps its mode", () => {
    const target = join(dir, "target.json");
    const link = join(dir, "link.json");
    writeFileSync(target, "old");
    chmodSync(target, 0o640);
    symlinkSync("target.json", link);
    writeOutput(link, "new");
    assert.ok(lstatSync(link).isSymbolicLink());
    assert.equal(readlinkSync(link), "target.json");
    assert.equal(readFileSync(target, "utf8"), "new");
    assert.equal(statSync(target).mode & 0o777, 0o640);
    const dangling = join(dir, "dangling.json");
    symlinkSync("made-by-link.json", dangling);
    writeOutput(dangling, "via link");
    assert.equal(readFileSync(join(dir, "made-by-link.json"), "utf8"), "via link");
  });

  it("ENOENT, ENOTDIR and a /proc path are one line naming the path and the reason", () => {
    assert.throws(() => checkOutput("/proc/x.json", "--json"), userError(/^--json \/proc\/x\.json: cannot write: \/proc is on \/proc, a kernel file system/));
    assert.throws(() => checkOutput("/proc/self/status", "--json"), userError(/^--json \/proc\/self\/status: cannot write: .* a kernel file system/));
    assert.throws(() => writeOutput("/proc/self/status", "x"), userError(/a kernel file system/));
    assert.throws(() => checkOutput(join(dir, "no-such-folder", "x.json")), userError(/cannot write: folder .*no-such-folder does not exist/));
    const file = join(dir, "plain");
    writeFileSync(file, "");
    assert.throws(() => checkOutput(join(file, "child.json")), userError(/cannot write: .*\(ENOTDIR\)/));
    assert.throws(() => checkOutput("", "--markdown"), userError(/^--markdown: empty file name$/));
  });

  it("a read-only file system: EROFS, nothing written", (t) => {
    const ro = tmpfs("ro", "ro,size=64k");
    if (typeof ro !== "string") return t.skip(ro.skip);
    assert.throws(() => checkOutput(join(ro, "x.json"), "--html"), userError(/^--html .*x\.json: cannot write: read-only file system \(EROFS\)$/));
    assert.throws(() => writeOutput(join(ro, "x.json"), "x"), userError(/EROFS/));
  });

  it("a directory without write permission: EACCES", (t) => {
    if (isRoot) return t.skip("root passes permission checks (the read-only mount case covers refusal as root)");
    const locked = join(dir, "locked");
    mkdirSync(locked, 0o555);
    assert.throws(() => checkOutput(join(locked, "x.json"), "--bmf"), userError(/^--bmf .*: cannot write: permission denied \(EACCES\)$/));
  });

  it("a full disk: ENOSPC, the old file intact, no temp file left", (t) => {
    const full = tmpfs("full", "size=64k");
    if (typeof full !== "string") return t.skip(full.skip);
    const file = join(full, "kept.json");
    writeFileSync(file, "old");
    assert.throws(() => writeOutput(file, "x".repeat(200_000)), userError(/kept\.json: cannot write: no space left on device \(ENOSPC\)/));
    assert.equal(readFileSync(file, "utf8"), "old");
    assert.deepEqual(readdirSync(full), ["kept.json"]);
  });

  it("compare refuses a bad export path before reading its inputs (exit 2 via UserError)", async () => {
    const a = join(dir, "cmp-a.json");
    writeFileSync(a, JSON.stringify(run()));
    await assert.rejects(compareCmd.run([a, a, "--markdown", "/dev/full"]), userError(/^--markdown \/dev\/full: cannot write: a device/));
    await assert.rejects(compareCmd.run([a, a, "--json", ""]), userError(/^--json: empty file name$/));
  });
});

describe("input files", () => {
  it("devices, FIFOs and directories are refused without reading or blocking", (t) => {
    const zeroCopy = mknod("zero-copy", 1, 5);
    const inputs = ["/dev/zero", fifo("in-fifo"), dir];
    if (typeof zeroCopy === "string") inputs.push(zeroCopy);
    else t.diagnostic(`mknod copy skipped: ${zeroCopy.skip}`);
    for (const path of inputs) {
      assert.throws(() => readInput(path, 1 << 20, "run file"), userError(/cannot read run file: a (device|FIFO|directory), not a regular file/));
      assert.throws(() => readScenarioFile(path), userError(/not a regular file/));
      assert.throws(() => readHistory(path), userError(/not a regular file/));
    }
  });

  it("the size bound holds while reading, whatever stat says (a /proc file reports size 0)", () => {
    assert.equal(statSync("/proc/self/smaps").size, 0);
    assert.throws(() => readInput("/proc/self/smaps", 100, "history file"), userError(/larger than the 100-byte limit/));
  });

  it("a missing file says so", () => {
    assert.throws(() => readRunFile(join(dir, "absent.json")), userError(/absent\.json: run file does not exist$/));
  });
});

describe("state folder", () => {
  it("is $AIO_RING_BENCH_HOME or the project folder, never the cwd nor inside node_modules", () => {
    assert.equal(stateDir(), home);
    assert.equal(lastRunFile(), join(home, "last-run.json"));
    assert.equal(projectFolder("/p/node_modules/aio-ring-bench/"), "/p");
    assert.equal(projectFolder("/p/node_modules/@x/y/node_modules/aio-ring-bench"), "/p");
    assert.equal(projectFolder("/src/aio-ring-bench/"), "/src/aio-ring-bench/");
    const env = { ...process.env };
    delete env.AIO_RING_BENCH_HOME;
    const script = `import(${JSON.stringify(new URL("dist/src/bench/state.js", REPO).href)}).then((m) => console.log(m.stateDir()))`;
    const out = execFileSync(process.execPath, ["-e", script], { cwd: "/", env, encoding: "utf8" }).trim();
    assert.equal(out, join(fileURLToPath(REPO), ".aio-ring-bench"));
  });

  it("a non-directory or read-only home is one line naming it, before measuring", async (t) => {
    const flags = parseBenchFlags(["--quick"], [tinySuite])!;
    const file = join(dir, "home-file");
    writeFileSync(file, "");
    for (const [bad, re] of [
      [file, /ENOTDIR/],
      ...(() => {
        const ro = tmpfs("ro-home", "ro,size=64k");
        if (typeof ro === "string") return [[ro, /EROFS/]] as const;
        t.diagnostic(`read-only home skipped: ${ro.skip}`);
        return [];
      })(),
    ] as [string, RegExp][]) {
      const script = `process.env.AIO_RING_BENCH_HOME = ${JSON.stringify(bad)};
        import(${JSON.stringify(new URL("dist/src/bench/state.js", REPO).href)}).then((m) => m.ensureStateDir()).catch((e) => { console.error(e.message); process.exit(e.exitCode ?? 1); })`;
      const r = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
      assert.equal(r.status, 2, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(
          `^state folder ${bad.replace(/[/.]/g, "\\$&")} \\(\\$AIO_RING_BENCH_HOME\\): cannot create files in .*: .*${re.source}.*; set AIO_RING_BENCH_HOME to a writable folder\\n$`,
        ),
      );
    }
    assert.ok(flags);
  });

  it("temp files of a killed run are removed by the next run; a live writer's are kept", () => {
    mkdirSync(home, { recursive: true });
    const dead = join(home, ".last-run.json.99999999.0badc0de.tmp");
    const live = join(home, `.last-run.json.${process.pid}.0badc0de.tmp`);
    writeFileSync(dead, "torn");
    writeFileSync(live, "mine");
    ensureStateDir();
    assert.ok(!existsSync(dead), "the dead writer's temp file is gone");
    assert.ok(existsSync(live), "a live writer's temp file stays");
    // Beside a user's output too.
    const out = join(dir, "beside.json");
    const stale = join(dir, ".beside.json.99999999.1234abcd.tmp");
    writeFileSync(stale, "torn");
    writeOutput(out, "x");
    assert.ok(!existsSync(stale));
    assert.deepEqual(cleanStaleTemps(home), []);
  });
});
