/**
 * Every file the tool reads or writes goes through here, because every path
 * is hostile: an output may be a device, a FIFO, a directory, a symlink or
 * sit on a full or read-only disk; an input may be /dev/zero or a FIFO.
 *
 * - Outputs: "-" is stdout, and so are /dev/stdout, /dev/fd/1 and any link
 *   to this process's descriptor 1 (/dev/stderr and descriptor 2 are
 *   stderr): written as a stream, never replaced by a file (following
 *   /proc/self/fd/1 to `log` of `>> log` would destroy it). Other
 *   descriptors are refused. A regular file or a new path is written
 *   atomically (temp file beside it, fsync, rename) keeping the old file's
 *   mode and owner; a symlink is followed and its target written; anything
 *   else is refused. `checkOutput` runs the same checks without writing, so
 *   a command can refuse a bad path before it spends minutes measuring.
 * - Inputs: regular files only, opened non-blocking (a FIFO cannot hang the
 *   open), the size bound applied while reading (a lying size cannot
 *   matter).
 * - Every file-system error becomes one UserError line naming the path and
 *   the reason (exit 2).
 * - Temp files left by a killed run are removed by the next write beside
 *   them; a lock file serialises read-modify-write updates (the history).
 */
import {
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  realpathSync,
  renameSync,
  statfsSync,
  statSync,
  unlinkSync,
  writeSync,
  type Stats,
} from "node:fs";
import { randomBytes } from "node:crypto";
import { basename, dirname, join, resolve } from "node:path";
import { UserError } from "../contract/errors.js";
import { fsReason } from "./fs-reason.js";
import { sleepMs } from "./sleep.js";
import { writeStdout } from "./stdout.js";

export { fsReason, sleepMs };

/** The output path that means standard output. */
export const STDOUT = "-";

/** A directory of file descriptors: /proc/PID/fd or /proc/PID/task/TID/fd (what /dev/fd and /proc/self/fd resolve to). */
const FD_DIR_RE = /^\/proc\/(\d+)\/(?:task\/\d+\/)?fd$/;

/** The process and descriptor a path names through /dev/fd, /dev/stdout, /proc/self/fd and links to them; null for a file. */
function descriptorOf(path: string): { pid: number; fd: number } | null {
  let at = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let dir: string | null = null;
    try {
      dir = realpathSync(dirname(at));
    } catch {
      // a directory that does not exist holds no descriptor
    }
    const m = dir === null ? null : FD_DIR_RE.exec(dir);
    if (m && /^\d+$/.test(basename(at))) return { pid: Number(m[1]), fd: Number(basename(at)) };
    try {
      if (!lstatSync(at).isSymbolicLink()) return null;
      at = resolve(dirname(at), readlinkSync(at));
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * The standard stream an output path names: "-", /dev/stdout, /dev/fd/1,
 * /proc/self/fd/1 or a link to one of them are 1 (stdout); /dev/stderr and
 * the like are 2; null for a file. Another descriptor, or another
 * process's, is refused: it is no file to replace and no stream of ours.
 */
export function outputStream(path: string, flag?: string): 1 | 2 | null {
  if (path === STDOUT) return 1;
  const d = descriptorOf(path);
  if (d === null) return null;
  const at = flag ? `${flag} ${path}` : path;
  if (d.pid !== process.pid)
    throw new UserError(`${at}: cannot write: a file descriptor of another process (${d.pid}), not a file (use - for standard output)`);
  if (d.fd === 1 || d.fd === 2) return d.fd;
  throw new UserError(`${at}: cannot write: file descriptor ${d.fd}; only standard output (- or /dev/stdout) and /dev/stderr are written as streams`);
}

/** Whether an output path goes to standard output ("-" or /dev/stdout and its aliases). */
export function isStdout(path: string): boolean {
  try {
    return outputStream(path) === 1;
  } catch {
    return false;
  }
}

/** Where a command's human-readable lines go, and how it prints one. */
export interface HumanOutput {
  stream: NodeJS.WriteStream;
  log(line: string): void;
}

/**
 * A command's output files by flag name: when one of them is standard
 * output ("-"), stdout holds that output alone and the human-readable lines
 * go to stderr. Two outputs cannot share stdout: refused, naming the flags.
 */
export function humanOutput(outputs: Record<string, string | null | undefined>): HumanOutput {
  const toStdout = Object.keys(outputs).filter((flag) => {
    const path = outputs[flag];
    return typeof path === "string" && isStdout(path);
  });
  if (toStdout.length > 1) throw new UserError(`only one output can go to standard output ("-", /dev/stdout), got --${toStdout.join(" and --")}`);
  return toStdout.length ? { stream: process.stderr, log: (line) => console.error(line) } : { stream: process.stdout, log: (line) => console.log(line) };
}

/** The one-line error for a failed file operation: "PATH: cannot ACTION: REASON". */
export function fileError(path: string, action: string, e: unknown): UserError {
  if (e instanceof UserError) return e;
  return new UserError(`${path}: cannot ${action}: ${fsReason(e)}`);
}

/** What a non-regular file is, for messages. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a directory";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  if (st.isFIFO()) return "a FIFO";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

function emptyPath(flag: string | undefined): UserError {
  return new UserError(`${flag ? `${flag}: ` : ""}empty file name`);
}

export interface OutputTarget {
  /** The path as given. */
  path: string;
  /** The file actually written: the path itself, or the end of its symlink chain. */
  target: string;
  /** The existing target's status, null for a new file. */
  existing: Stats | null;
}

/** Follows a symlink chain (dangling ends allowed) to the path that would be written. */
function followLinks(path: string): string {
  let at = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    let st: Stats;
    try {
      st = lstatSync(at);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === "ENOENT") return at;
      throw e;
    }
    if (!st.isSymbolicLink()) return at;
    at = resolve(dirname(at), readlinkSync(at));
  }
  throw Object.assign(new Error("symlink loop"), { code: "ELOOP" });
}

/**
 * The real path a write to `path` lands on: symlinks followed (a dangling
 * end allowed), then its folder's real path; null when that folder cannot
 * be resolved. Two outputs, or an output and an input, with the same
 * landing path are the same file however they were spelled.
 */
export function landingPath(path: string): string | null {
  try {
    const target = followLinks(path);
    return join(realpathSync(dirname(target)), basename(target));
  } catch {
    return null;
  }
}

/**
 * `dir` itself when it is an existing directory. An output's folder is never
 * created on the way: a typo'd folder is refused, naming it, rather than
 * made silently (the state folder is made by ensureStateDir).
 */
function existingDir(dir: string): string {
  let st: Stats;
  try {
    st = statSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`folder ${dir} does not exist (create it first)`);
    throw e;
  }
  if (!st.isDirectory()) throw Object.assign(new Error("not a directory"), { code: "ENOTDIR" });
  return dir;
}

function tempName(dir: string, base: string): string {
  return join(dir, `.${base}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
}

/** Refuses anything but a regular file or a new path in a directory where we can create files. */
function resolveOutput(path: string, flag?: string, stdoutOk = true): OutputTarget {
  if (path === "") throw emptyPath(flag);
  const at = flag ? `${flag} ${path}` : path;
  let target: string;
  let existing: Stats | null = null;
  try {
    target = followLinks(path);
    try {
      existing = statSync(target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
  } catch (e) {
    throw fileError(at, "write", e);
  }
  if (existing && !existing.isFile())
    throw new UserError(`${at}: cannot write: ${kindOf(existing)}, not a regular file${stdoutOk ? " (use - for standard output)" : ""}`);
  return { path, target, existing };
}

/**
 * Checks that `path` can be written, without changing anything there: the
 * checks of writeOutput, plus creating (and removing) a temp file in the
 * directory that will hold it. `flag` names the option in messages;
 * `stdoutOk` false for a file that is read back (a history), where "-"
 * is a file name like any other.
 */
export function checkOutput(path: string, flag?: string, stdoutOk = true): OutputTarget | null {
  if (path === STDOUT && stdoutOk) return null;
  const at = flag ? `${flag} ${path}` : path;
  if (path !== STDOUT && outputStream(path, flag) !== null) {
    if (stdoutOk) return null;
    throw new UserError(`${at}: cannot write: a standard stream, and this file is read back and rewritten`);
  }
  const out = resolveOutput(path, flag, stdoutOk);
  try {
    const dir = existingDir(dirname(out.target));
    refuseKernelFs(dir, at);
    probeCreate(dir, basename(out.target));
  } catch (e) {
    throw fileError(at, "write", e);
  }
  return out;
}

/** statfs magic numbers of the kernel's own file systems, where no file can be made. */
const KERNEL_FS = new Map<number, string>([
  [0x9fa0, "/proc"],
  [0x62656572, "sysfs"],
  [0x1cd1, "devpts"],
]);

/** Refuses a directory on /proc, sysfs or devpts with that reason (creating there fails with a misleading ENOENT). */
function refuseKernelFs(dir: string, at: string): void {
  const fs = KERNEL_FS.get(Number(statfsSync(dir).type));
  if (fs) throw new UserError(`${at}: cannot write: ${dir} is on ${fs}, a kernel file system, not a place for files`);
}

/** Makes the folder an option names (fuzz --out DIR), one level only: its parent must exist, so a typo is refused. */
export function makeOutputDir(dir: string, flag: string): void {
  try {
    mkdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new UserError(`${flag} ${dir}: cannot create folder: folder ${dirname(resolve(dir))} does not exist (create it first)`);
    if (code !== "EEXIST") throw fileError(`${flag} ${dir}`, "create folder", e);
  }
}

/** Creates and removes a temp file in `dir`: the one sure test that files can be made there (root passes every permission check, a read-only mount or /proc does not). Throws the fs error. */
export function probeCreate(dir: string, base = "write-check"): void {
  const probe = tempName(dir, base);
  closeSync(openSync(probe, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600));
  unlinkSync(probe);
}

/** Writes all of `data` to `fd`. */
function writeAll(fd: number, data: Buffer): void {
  for (let off = 0; off < data.length; ) off += writeSync(fd, data, off, data.length - off);
}

/**
 * Writes `data` to `path` so that a reader sees either the old file or the
 * whole new one. "-" writes to stdout. A symlink's target is written (the
 * link stays), an existing file keeps its mode and owner. Any failure is a
 * UserError naming the path; the old file is then untouched and no temp
 * file is left.
 */
export function writeOutput(path: string, data: string | Uint8Array, flag?: string): void {
  const stream = outputStream(path, flag);
  if (stream === 1) {
    writeStdout(typeof data === "string" ? data : Buffer.from(data).toString("utf8"));
    return;
  }
  if (stream === 2) {
    process.stderr.write(data);
    return;
  }
  const { target, existing } = resolveOutput(path, flag);
  const at = flag ? `${flag} ${path}` : path;
  const dir = dirname(target);
  let tmp: string | null = null;
  try {
    refuseKernelFs(existingDir(dir), at);
    cleanStaleTemps(dir, basename(target));
    tmp = tempName(dir, basename(target));
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, existing ? existing.mode & 0o7777 : 0o666);
    try {
      if (existing) {
        // The umask applied at create time must not change the kept mode.
        fchmodSync(fd, existing.mode & 0o7777);
        if (process.getuid?.() === 0) fchownSync(fd, existing.uid, existing.gid);
      }
      writeAll(fd, typeof data === "string" ? Buffer.from(data, "utf8") : Buffer.from(data));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, target);
    tmp = null;
  } catch (e) {
    throw fileError(at, "write", e);
  } finally {
    if (tmp !== null) {
      try {
        unlinkSync(tmp);
      } catch {
        // never created, or already gone
      }
    }
  }
}

const TEMP_RE = /^\.(.+)\.(\d+)\.[0-9a-f]+\.tmp$/;
/** A temp file this old is stale whoever made it (a reused pid cannot keep it forever). */
const STALE_TEMP_MS = 24 * 3600 * 1000;

function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Removes temp files in `dir` (for `base` only, when given) left by a run
 * that was killed before its rename: their writer is gone, or they are
 * older than a day. Best effort: a file we cannot remove stays.
 */
export function cleanStaleTemps(dir: string, base?: string): string[] {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TEMP_RE.exec(name);
    if (!m || (base !== undefined && m[1] !== base)) continue;
    const file = join(dir, name);
    try {
      const st = lstatSync(file);
      if (!st.isFile()) continue;
      if (processAlive(Number(m[2])) && Date.now() - st.mtimeMs < STALE_TEMP_MS) continue;
      unlinkSync(file);
      removed.push(file);
    } catch {
      // raced with another cleaner, or not ours to remove
    }
  }
  return removed;
}

/**
 * Reads a regular file of at most `maxBytes` bytes as UTF-8. Opened with
 * O_NONBLOCK so that a FIFO cannot block the open; anything but a regular
 * file is refused; the bound holds while reading, whatever stat said.
 * `what` names the kind of file in messages ("run file", "history file").
 */
export function readInput(path: string, maxBytes: number, what: string): string {
  if (path === "") throw new UserError(`empty ${what} name`);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new UserError(`${path}: ${what} does not exist`);
    throw fileError(path, `read ${what}`, e);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new UserError(`${path}: cannot read ${what}: ${kindOf(st)}, not a regular file`);
    const tooBig = () => new UserError(`${path}: ${what} is larger than the ${maxBytes}-byte limit`);
    if (st.size > maxBytes) throw tooBig();
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total) || 1);
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) throw tooBig();
      chunks.push(n === buf.length ? buf : buf.subarray(0, n));
    }
    return Buffer.concat(chunks, total).toString("utf8");
  } catch (e) {
    throw fileError(path, `read ${what}`, e);
  } finally {
    closeSync(fd);
  }
}

/** Whether `path` names an existing directory entry (a dangling symlink counts). */
export function pathExists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

const LOCK_WAIT_MS = 30_000;
const LOCK_STALE_MS = 10 * 60_000;
/** A lock still without a pid after this long was never finished (its writer died or the disk was full): stale. */
const LOCK_UNWRITTEN_MS = 5_000;
/** The pid recorded in a lock file, or null when it is unreadable. */
function lockOwner(lock: string): number | null {
  try {
    const pid = Number(readFileSync(lock, "utf8").trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * Runs `fn` holding an advisory lock on `path` (the file `PATH.lock`,
 * created with O_EXCL, holding our pid). A lock whose process is gone, or
 * older than ten minutes, is stale and taken over; a live one is waited for
 * up to 30 s. Writers that all lock cannot lose each other's updates.
 */
export function withFileLock<T>(path: string, fn: () => T): T {
  let target: string;
  try {
    target = followLinks(path);
    existingDir(dirname(target));
  } catch (e) {
    throw fileError(path, "write", e);
  }
  const lock = `${target}.lock`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let wait = 2; ; wait = Math.min(wait * 2, 50)) {
    try {
      const fd = openSync(lock, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
      try {
        writeAll(fd, Buffer.from(`${process.pid}\n`));
      } catch (e) {
        // A full disk: a lock without our pid would block every later writer.
        unlinkSync(lock);
        throw e;
      } finally {
        closeSync(fd);
      }
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw fileError(lock, "create lock file", e);
    }
    const owner = lockOwner(lock);
    let age = 0;
    try {
      age = Date.now() - lstatSync(lock).mtimeMs;
    } catch {
      continue; // released meanwhile: try again at once
    }
    // A lock being written has no pid yet: only its age can make it stale.
    if ((owner !== null && !processAlive(owner)) || (owner === null && age > LOCK_UNWRITTEN_MS) || age > LOCK_STALE_MS) {
      try {
        if (lockOwner(lock) === owner) unlinkSync(lock);
      } catch {
        // another waiter removed it first
      }
      continue;
    }
    if (Date.now() > deadline) throw new UserError(`${path}: locked by process ${owner ?? "?"} for more than ${LOCK_WAIT_MS / 1000} s (${lock})`);
    sleepMs(wait);
  }
  try {
    return fn();
  } finally {
    try {
      if (lockOwner(lock) === process.pid) unlinkSync(lock);
    } catch {
      // gone already
    }
  }
}
