/**
 * Builds the timed WASM modules (core, lookup) of another revision: a git
 * ref, the working tree, or a slowed variant for the selfcheck. The sources
 * (assembly/) come from git or the working tree; the compiler and its
 * options are always this checkout's (its assemblyscript, asconfig.json and
 * scripts/wasm-modules.json), so two sides differ only in their code.
 * Builds are cached under the tool's state folder by a hash of everything
 * that goes into them, written to a temp directory and renamed into place,
 * so an interrupted or failed build leaves nothing behind.
 */
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { UserError } from "../contract/errors.js";
import { TIMED_MODULES, wasmBuildInDir, type WasmBuild } from "../core/wasm-build.js";
import { ensureStateDir, stateDir } from "./state.js";
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

/** Resolves a ref to its commit and assembly/ tree; a UserError naming the ref when it is unknown. */
export function resolveSource(spec: SourceSpec, repo: string = PACKAGE_ROOT): ResolvedSource {
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

/**
 * The core and lookup modules of `src` (with `extraFlags` for asc, e.g. the
 * selfcheck's `--use AIO_EXTRA_WORK=K`), built once and cached. A revision
 * that does not compile is a UserError naming it and asc's first error.
 */
export async function buildRevision(src: ResolvedSource, extraFlags: readonly string[] = [], onBuild?: (what: string) => void): Promise<WasmBuild> {
  const key = cacheKey(src, extraFlags);
  const final = join(buildCacheDir(), key);
  const label = `${src.label}${extraFlags.length ? ` ${extraFlags.join(" ")}` : ""}`;
  if (TIMED_MODULES.every((m) => existsSync(join(final, `${m}.wasm`)))) return wasmBuildInDir(final, label);
  onBuild?.(label);
  ensureStateDir("wasm-builds");
  const tmp = mkdtempSync(join(buildCacheDir(), ".tmp-"));
  try {
    await checkoutSources(src, tmp);
    const out = join(tmp, "out");
    mkdirSync(out);
    for (const m of moduleSpecs()) {
      try {
        await run(
          process.execPath,
          [
            ascBin(),
            m.entry,
            "--config",
            join(PACKAGE_ROOT, "asconfig.json"),
            "--target",
            "release",
            "--outFile",
            join(out, `${m.name}.wasm`),
            ...m.flags,
            ...extraFlags,
          ],
          { cwd: tmp, maxBuffer: 16 * 1024 * 1024 },
        );
      } catch (e) {
        const text = `${(e as { stderr?: string }).stderr ?? ""}`.split("\n").find((l) => /ERROR|error/.test(l)) ?? (e as Error).message.split("\n")[0];
        throw new UserError(`${src.label}: does not build (${m.entry}): ${text.trim()}`);
      }
    }
    writeFileSync(
      join(out, "build.json"),
      `${JSON.stringify({ source: src.label, sourceId: src.sourceId, extraFlags, asc: ascVersion(), built: new Date().toISOString() }, null, 2)}\n`,
    );
    try {
      renameSync(out, final);
    } catch (e) {
      // Another process finished the same build first: theirs is as good.
      if (!TIMED_MODULES.every((m) => existsSync(join(final, `${m}.wasm`)))) throw e;
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return wasmBuildInDir(final, label);
}

/**
 * The default base of `ab`: the merge-base of HEAD with the default branch
 * (main, master, or origin's HEAD) when that is not HEAD itself, else HEAD~1.
 * Returns the ref and why it was chosen.
 */
export function defaultBase(): { ref: string; why: string } {
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
