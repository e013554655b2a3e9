/**
 * Builds the timed WASM modules (core, lookup) of another revision: a git
 * ref, the working tree, or a slowed variant for the selfcheck. The sources
 * (assembly/) come from git or the working tree; the compiler and its
 * options are always this checkout's (its assemblyscript, asconfig.json and
 * scripts/wasm-modules.json), so two sides differ only in their code.
 * Builds are cached under the tool's state folder by a hash of everything
 * that goes into them, written to a temp directory and renamed into place
 * when complete, so a build that failed or was stopped is never used. The
 * compiler runs in its own process group and dies with us (SIGINT, SIGTERM:
 * its group is killed and the temp directory removed; SIGKILL: it sees its
 * input close, src/bench/asc-child.ts, and the next build sweeps the temp
 * directory, named after its dead owner's pid).
 */
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { promisify, stripVTControlCharacters } from "node:util";
import { Interrupted, UserError } from "../contract/errors.js";
import { TIMED_MODULES, wasmBuildInDir } from "../core/wasm-build.js";
import type { WasmBuild } from "../contract/wasm-build.js";
import { ensureStateDir, stateDir } from "./state.js";
import { killGroup, spawnInGroup, withCleanup } from "../util/process-groups.js";
import { PACKAGE_ROOT } from "./machine.js";

const run = promisify(execFile);

interface ModuleSpec {
  name: string;
  entry: string;
  flags: string[];
}

function moduleSpecs(): ModuleSpec[] {
  const all = JSON.parse(readFileSync(join(PACKAGE_ROOT, "scripts", "wasm-modules.json"), "utf8")) as ModuleSpec[];
  return all.filter((m) => (TIMED_MODULES as readonly string[]).includes(m.name));
}

function ascBin(): string {
  const require = createRequire(import.meta.url);
  let pkg: string;
  try {
    pkg = require.resolve("assemblyscript/package.json");
  } catch {
    throw new UserError("building another revision needs the assemblyscript compiler: run npm install in this checkout (it is a dev dependency)");
  }
  return join(pkg, "..", "bin", "asc.js");
}

/** The compiler's API module (what bin/asc.js runs), for src/bench/asc-child.ts. */
function ascApi(): string {
  return join(ascBin(), "..", "..", "dist", "asc.js");
}

const ASC_CHILD = fileURLToPath(new URL("./asc-child.js", import.meta.url));

/** Runs the compiler in its own process group, killed when `signal` aborts; resolves with its exit code and standard error (bounded). */
function runAsc(args: readonly string[], cwd: string, signal?: AbortSignal): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnInGroup(process.execPath, [ASC_CHILD, ascApi(), ...args], { cwd });
    const kill = () => child.pid !== undefined && killGroup(child.pid);
    signal?.addEventListener("abort", kill, { once: true });
    child.on("close", () => signal?.removeEventListener("abort", kill));
    let stderr = "";
    child.stdout.resume();
    child.stderr.on("data", (b: Buffer) => {
      if (stderr.length < 65_536) stderr += b.toString("utf8");
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

/**
 * asc's first error as "FILE(LINE,COL): message": the file is the one the
 * error is in (asc's "in FILE(l,c)" line), not the module's entry.
 */
export function firstAscError(stderr: string): string | null {
  const lines = stripVTControlCharacters(stderr).split("\n");
  const i = lines.findIndex((l) => /\bERROR\b/.test(l));
  if (i < 0) return null;
  const message = lines[i].trim();
  const where = lines
    .slice(i + 1)
    .map((l) => /\bin (\S+\(\d+,\d+\))/.exec(l)?.[1])
    .find((w) => w !== undefined);
  return where ? `${where}: ${message}` : message;
}

/** Whether process `pid` is alive (EPERM: alive, not ours). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Temp directories older versions left unnamed: removed once this old. */
const UNOWNED_STALE_MS = 10 * 60_000;

/** Temp directories of builds whose process is gone (killed by SIGKILL, or a crash): removed. */
function sweepStaleBuilds(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(".tmp-")) continue;
    const path = join(dir, name);
    const owner = /^\.tmp-(\d+)-/.exec(name);
    const live = owner ? Number(owner[1]) === process.pid || alive(Number(owner[1])) : Date.now() - statSync(path).mtimeMs < UNOWNED_STALE_MS;
    if (!live) rmSync(path, { recursive: true, force: true });
  }
}

function ascVersion(): string {
  return (JSON.parse(readFileSync(join(ascBin(), "..", "..", "package.json"), "utf8")) as { version: string }).version;
}

function git(args: string[], repo: string = PACKAGE_ROOT): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

/** Where a revision's sources come from. */
export type SourceSpec = { kind: "ref"; ref: string } | { kind: "worktree" };

export interface ResolvedSource {
  spec: SourceSpec;
  /** The checkout the sources come from (this package's by default). */
  repo: string;
  /** For messages: "main (3f2a1c9d0e)" or "working tree". */
  label: string;
  /** The commit, null for the working tree. */
  commit: string | null;
  /** Content id of the sources: git tree id of assembly/, or a hash of the working tree's files. */
  sourceId: string;
}

/** An installed package has neither: refuse before any git call or file walk, naming what to do. */
function requireSources(repo: string): void {
  if (!existsSync(join(repo, "assembly")) && !existsSync(join(repo, ".git")))
    throw new UserError(
      `${repo} is an installed package, without the AssemblyScript sources (assembly/) and git history this command builds from: run it in a clone of the repository, after npm install`,
    );
}

/** Resolves a ref to its commit and assembly/ tree; a UserError naming the ref when it is unknown. */
export function resolveSource(spec: SourceSpec, repo: string = PACKAGE_ROOT): ResolvedSource {
  requireSources(repo);
  if (spec.kind === "worktree") return { spec, repo, label: "working tree", commit: null, sourceId: `files:${hashWorktree(repo)}` };
  if (spec.ref.startsWith("-") || /\s/.test(spec.ref)) throw new UserError(`ref ${JSON.stringify(spec.ref)}: not a valid git ref`);
  let commit: string;
  try {
    commit = git(["rev-parse", "--verify", "--quiet", `${spec.ref}^{commit}`], repo);
  } catch {
    throw new UserError(`ref ${JSON.stringify(spec.ref)}: unknown or unreachable in ${repo} (not a commit git can resolve)`);
  }
  let tree: string;
  try {
    tree = git(["rev-parse", "--verify", "--quiet", `${commit}:assembly`], repo);
  } catch {
    throw new UserError(`ref ${JSON.stringify(spec.ref)} (${commit.slice(0, 10)}): has no assembly/ directory to build`);
  }
  return { spec, repo, label: `${spec.ref} (${commit.slice(0, 10)})`, commit, sourceId: `tree:${tree}` };
}

function hashWorktree(repo: string): string {
  const root = join(repo, "assembly");
  const h = createHash("sha256");
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else
        h.update(`${relative(root, path)}\0`)
          .update(readFileSync(path))
          .update("\0");
    }
  };
  walk(root);
  return h.digest("hex");
}

export function buildCacheDir(): string {
  return join(stateDir(), "wasm-builds");
}

/** The cache key: sources, compiler version, options, module list and extra flags. */
function cacheKey(src: ResolvedSource, extraFlags: readonly string[]): string {
  return createHash("sha256")
    .update(
      JSON.stringify({
        src: src.sourceId,
        asc: ascVersion(),
        config: readFileSync(join(PACKAGE_ROOT, "asconfig.json"), "utf8"),
        modules: moduleSpecs(),
        extraFlags,
      }),
    )
    .digest("hex")
    .slice(0, 32);
}

/** Copies the revision's assembly/ into `dir`. */
async function checkoutSources(src: ResolvedSource, dir: string): Promise<void> {
  if (src.commit === null) {
    await run("cp", ["-R", join(src.repo, "assembly"), join(dir, "assembly")]);
    return;
  }
  const tar = join(dir, "src.tar");
  await run("git", ["archive", "--format=tar", "-o", tar, src.commit, "assembly"], { cwd: src.repo });
  await run("tar", ["-xf", tar, "-C", dir]);
  rmSync(tar);
}

/** A cached build with every module and its build.json (written last). */
function complete(dir: string): boolean {
  return [...TIMED_MODULES.map((m) => `${m}.wasm`), "build.json"].every((f) => existsSync(join(dir, f)));
}

/**
 * The core and lookup modules of `src` (with `extraFlags` for asc, e.g. the
 * selfcheck's `--use AIO_EXTRA_WORK=K`), built once and cached. A revision
 * that does not compile is a UserError naming it and asc's first error;
 * `signal` aborting (Ctrl-C) kills the compiler: Interrupted, nothing cached.
 */
export async function buildRevision(
  src: ResolvedSource,
  extraFlags: readonly string[] = [],
  onBuild?: (what: string) => void,
  signal?: AbortSignal,
): Promise<WasmBuild> {
  const key = cacheKey(src, extraFlags);
  const final = join(buildCacheDir(), key);
  const label = `${src.label}${extraFlags.length ? ` ${extraFlags.join(" ")}` : ""}`;
  if (complete(final)) return wasmBuildInDir(final, label);
  onBuild?.(label);
  ensureStateDir("wasm-builds");
  sweepStaleBuilds(buildCacheDir());
  const tmp = mkdtempSync(join(buildCacheDir(), `.tmp-${process.pid}-`));
  const removeTmp = () => rmSync(tmp, { recursive: true, force: true });
  try {
    await withCleanup(removeTmp, async () => {
      await checkoutSources(src, tmp);
      const out = join(tmp, "out");
      mkdirSync(out);
      for (const m of moduleSpecs()) {
        const args = [
          m.entry,
          "--config",
          join(PACKAGE_ROOT, "asconfig.json"),
          "--target",
          "release",
          "--outFile",
          join(out, `${m.name}.wasm`),
          ...m.flags,
          ...extraFlags,
        ];
        if (signal?.aborted) throw new Interrupted(`building ${label}`);
        const r = await runAsc(args, tmp, signal);
        if (signal?.aborted) throw new Interrupted(`building ${label}`);
        if (r.code !== 0) {
          const why = firstAscError(r.stderr) ?? (r.code === null ? "the compiler was killed" : `the compiler exited with status ${r.code}`);
          throw new UserError(`${src.label}: does not build (module ${m.name}, entry ${m.entry}): ${why}`);
        }
      }
      // Written last: a directory with build.json is complete.
      writeFileSync(
        join(out, "build.json"),
        `${JSON.stringify({ source: src.label, sourceId: src.sourceId, extraFlags, asc: ascVersion(), built: new Date().toISOString() }, null, 2)}\n`,
      );
      try {
        renameSync(out, final);
      } catch (e) {
        // Another process finished the same build first: theirs is as good.
        if (!complete(final)) throw e;
      }
    });
  } finally {
    removeTmp();
  }
  return wasmBuildInDir(final, label);
}

/**
 * The default base of `ab`: the merge-base of HEAD with the default branch
 * (main, master, or origin's HEAD) when that is not HEAD itself, else HEAD~1.
 * Returns the ref and why it was chosen.
 */
export function defaultBase(): { ref: string; why: string } {
  requireSources(PACKAGE_ROOT);
  const head = (() => {
    try {
      return git(["rev-parse", "HEAD"]);
    } catch {
      throw new UserError(`${PACKAGE_ROOT} is not a git checkout with commits: give --base and --head`);
    }
  })();
  for (const branch of ["main", "master", "origin/HEAD"]) {
    let base: string;
    try {
      base = git(["merge-base", "HEAD", branch]);
    } catch {
      continue;
    }
    if (base !== head) return { ref: base, why: `merge-base of HEAD and ${branch}` };
  }
  try {
    git(["rev-parse", "--verify", "--quiet", "HEAD~1^{commit}"]);
  } catch {
    throw new UserError("no default base: HEAD has no parent and no default branch differs from it; give --base REF");
  }
  return { ref: "HEAD~1", why: "HEAD~1 (HEAD is on the default branch)" };
}
