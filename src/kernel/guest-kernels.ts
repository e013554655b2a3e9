// Guest kernels: which can be used here, and getting them. A kernel is named
// by its series ("6.1": the newest cloud flavour of that line in Debian's
// package lists), a Debian package name (linux-image-...), or a path to a
// vmlinuz. Packages come from the machine's apt sources with `apt-get
// download` (apt checks each against the archive's signed lists), are
// checked to extract and to hold a vmlinuz, and are kept in the state
// folder's kernels/ (one folder per package, put in place by a rename once
// the kernel has booted), with the initramfs of the current probe.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { ensureStateDir, stateDir } from "../bench/state.js";
import { UserError } from "../contract/errors.js";
import { writeOutput } from "../util/files.js";
import { Guest, QEMU } from "./guest.js";
import { ensureInitramfs, findStaticBusybox } from "./initramfs.js";
import { defaultProbePath } from "./paths.js";

export interface GuestAvailability {
  available: boolean;
  reason: string | null;
}

/** A kernel ready to boot. */
export interface GuestKernel {
  /** How the user named it. */
  name: string;
  /** The Debian package, or null for a path. */
  package: string | null;
  vmlinuz: string;
  initramfs: string;
}

/** What kernels/<package>/kernel.json says of a fetched kernel. */
export interface FetchedKernel {
  package: string;
  version: string;
  /** `uname -r` of the guest when it was fetched and booted. */
  release: string;
  sha256: string;
  fetched: string;
}

export function staticProbePath(): string {
  return `${defaultProbePath()}-static`;
}

function onPath(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { encoding: "utf8" }).status === 0;
}

/** Whether guests can run here (QEMU, a static busybox, the static probe), and if not why, in one line. */
export function guestAvailability(): GuestAvailability {
  if (process.platform !== "linux") return { available: false, reason: `platform is ${process.platform}, not linux` };
  if (!onPath(QEMU)) return { available: false, reason: `no ${QEMU} (install qemu-system-x86)` };
  const box = findStaticBusybox();
  if ("reason" in box) return { available: false, reason: box.reason };
  if (!existsSync(staticProbePath()))
    return { available: false, reason: `no static probe at ${staticProbePath()} (needs a static C library: install libc6-dev, then npm run build:probe)` };
  return { available: true, reason: null };
}

function requireGuests(name: string): void {
  const a = guestAvailability();
  if (!a.available) throw new UserError(`kernel ${name}: guest kernels unavailable: ${a.reason}`);
}

const SERIES = /^(\d{1,2})\.(\d{1,3})$/;
const PACKAGE = /^linux-image-[a-z0-9][a-z0-9.+~-]{0,100}$/;

/** Orders packages of a series by their numbers (6.1.0-57 after 6.1.0-9, 6.12.118 after 6.12.99). */
function versionKey(pkg: string): number[] {
  return (pkg.match(/\d+/g) ?? []).map(Number);
}

function newest(pkgs: string[]): string | undefined {
  return [...pkgs]
    .sort((a, b) => {
      const ka = versionKey(a);
      const kb = versionKey(b);
      for (let i = 0; i < Math.max(ka.length, kb.length); i++) if ((ka[i] ?? -1) !== (kb[i] ?? -1)) return (ka[i] ?? -1) - (kb[i] ?? -1);
      return 0;
    })
    .at(-1);
}

/** The cloud-flavour kernel packages of a series in the apt lists (none when apt is not there). */
export function seriesPackages(series: string): string[] {
  const [, major, minor] = SERIES.exec(series) as RegExpExecArray;
  const re = `^linux-image-${major}\\.${minor}\\.[0-9]+(-[0-9]+|\\+deb[0-9]+)-cloud-amd64$`;
  const r = spawnSync("apt-cache", ["search", "--names-only", re], { encoding: "utf8", timeout: 60_000 });
  if (r.error || r.status !== 0) return [];
  return r.stdout
    .split("\n")
    .map((l) => l.split(" ")[0])
    .filter((p) => new RegExp(re).test(p));
}

export function kernelsDir(): string {
  return join(stateDir(), "kernels");
}

/** Kernels fetched into the state folder. */
export function fetchedKernels(): FetchedKernel[] {
  const dir = kernelsDir();
  if (!existsSync(dir)) return [];
  const out: FetchedKernel[] = [];
  for (const d of readdirSync(dir).sort()) {
    if (!PACKAGE.test(d)) continue;
    try {
      const meta = JSON.parse(readFileSync(join(dir, d, "kernel.json"), "utf8")) as FetchedKernel;
      if (meta.package === d && existsSync(join(dir, d, "vmlinuz"))) out.push(meta);
    } catch {
      // not a kernel this project fetched
    }
  }
  return out;
}

function seriesOf(pkg: string): string | null {
  const m = /^linux-image-(\d+\.\d+)\./.exec(pkg);
  return m ? m[1] : null;
}

function fail(name: string, why: string): never {
  throw new UserError(`kernel ${name}: ${why}`);
}

/** Runs a command for a fetch, failing with its first error line. */
function must(name: string, what: string, cmd: string, args: string[], cwd?: string): string {
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd, timeout: 600_000, maxBuffer: 16 * 1024 * 1024 });
  if (r.error) fail(name, `${what}: cannot run ${cmd}: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`);
  if (r.status !== 0) {
    const line = (r.stderr || r.stdout || "").split("\n").find((l) => /^E:|error|not|fail/i.test(l)) ?? `exit ${r.status}`;
    fail(name, `${what}: ${line.trim().slice(0, 200)}`);
  }
  return r.stdout;
}

/**
 * Downloads, checks and keeps a kernel package: apt-get download into a temp
 * folder, dpkg -x, a vmlinuz must be there, and the kernel must boot the
 * probe; only then does the folder take its name (a rename). Returns its record.
 */
export async function fetchPackage(name: string, pkg: string): Promise<FetchedKernel> {
  requireGuests(name);
  if (!onPath("apt-get") || !onPath("dpkg-deb"))
    fail(name, "no apt-get/dpkg-deb to download kernel packages with (a Debian system is needed; or give --kernel PATH to a vmlinuz)");
  const dir = ensureStateDir("kernels");
  const tmp = mkdtempSync(join(dir, ".fetch-"));
  try {
    must(name, `apt-get download ${pkg}`, "apt-get", ["download", "-q", pkg], tmp);
    const deb = readdirSync(tmp).find((f) => f.endsWith(".deb"));
    if (!deb) fail(name, `apt-get download ${pkg} left no .deb`);
    const bytes = readFileSync(join(tmp, deb));
    const version = must(name, `${pkg} is not a readable package`, "dpkg-deb", ["-f", join(tmp, deb), "Version"]).trim();
    must(name, `${pkg} does not extract`, "dpkg-deb", ["-x", join(tmp, deb), join(tmp, "root")]);
    const boot = join(tmp, "root", "boot");
    const image = existsSync(boot) ? readdirSync(boot).find((f) => f.startsWith("vmlinuz-")) : undefined;
    if (!image) fail(name, `${pkg} holds no boot/vmlinuz-*`);
    renameSync(join(boot, image), join(tmp, "vmlinuz"));
    rmSync(join(tmp, "root"), { recursive: true, force: true });
    rmSync(join(tmp, deb), { force: true });
    const kernel: GuestKernel = { name, package: pkg, vmlinuz: join(tmp, "vmlinuz"), initramfs: initramfs() };
    const release = await bootCheck(kernel);
    const meta: FetchedKernel = { package: pkg, version, release, sha256: createHash("sha256").update(bytes).digest("hex"), fetched: new Date().toISOString() };
    writeOutput(join(tmp, "kernel.json"), `${JSON.stringify(meta, null, 2)}\n`);
    const final = join(dir, pkg);
    rmSync(final, { recursive: true, force: true });
    renameSync(tmp, final);
    return meta;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Boots the kernel once with one CPU and returns its `uname -r`; a UserError naming it when it does not boot. */
async function bootCheck(k: GuestKernel): Promise<string> {
  const g = new Guest({ name: k.name, vmlinuz: k.vmlinuz, initramfs: k.initramfs, cpus: 1, seconds: 10 });
  try {
    await g.booted;
    return g.release;
  } finally {
    await g.close();
  }
}

/** The initramfs for the current static probe (built on first use, rebuilt when the probe changes). */
export function initramfs(): string {
  const a = guestAvailability();
  const box = findStaticBusybox();
  if (!a.available || "reason" in box) throw new UserError(`guest kernels unavailable: ${a.reason}`);
  return ensureInitramfs(ensureStateDir("kernels"), staticProbePath(), box.path);
}

/** The package a series or package name stands for: fetched ones first (no network), then the apt lists. */
function packageFor(name: string, preferFetched: boolean): string {
  if (PACKAGE.test(name)) return name;
  if (!SERIES.test(name)) fail(name, "unknown kernel name (use host, a series such as 6.1 or 6.12, a Debian package linux-image-..., or a path to a vmlinuz)");
  const fetched = fetchedKernels()
    .map((k) => k.package)
    .filter((p) => seriesOf(p) === name);
  if (preferFetched && fetched.length > 0) return newest(fetched) as string;
  const pkgs = seriesPackages(name);
  const pick = newest(pkgs);
  if (pick === undefined) {
    const have = [...new Set(fetchedKernels().map((k) => seriesOf(k.package)))].filter(Boolean).join(", ");
    fail(name, `no linux-image-${name}.*-cloud-amd64 package in this machine's apt lists${have ? ` (fetched: ${have})` : ""}`);
  }
  return pick;
}

/** Whether a name is a path to a kernel image rather than a series or package. */
function isPath(name: string): boolean {
  return name.includes("/");
}

/**
 * The kernel a name stands for, ready to boot: fetched on first use. A path
 * is used as it is (it must be a regular file).
 */
export async function resolveKernel(name: string): Promise<GuestKernel> {
  requireGuests(name);
  if (isPath(name)) {
    const path = isAbsolute(name) ? name : resolve(name);
    let ok = false;
    try {
      ok = statSync(path).isFile();
    } catch {
      // reported below
    }
    if (!ok) fail(name, "no such kernel image file");
    return { name, package: null, vmlinuz: path, initramfs: initramfs() };
  }
  const pkg = packageFor(name, true);
  if (!existsSync(join(kernelsDir(), pkg, "kernel.json"))) await fetchPackage(name, pkg);
  return { name, package: pkg, vmlinuz: join(kernelsDir(), pkg, "vmlinuz"), initramfs: initramfs() };
}

/** `kernels fetch NAME`: always asks the apt lists for the newest package of a series. */
export async function fetchKernel(name: string): Promise<FetchedKernel> {
  requireGuests(name);
  if (isPath(name)) fail(name, "a path needs no fetching");
  const pkg = packageFor(name, false);
  const have = fetchedKernels().find((k) => k.package === pkg);
  return have ?? fetchPackage(name, pkg);
}

/** What `kernels` lists: whether guests can run here, the kernels fetched, and what Debian offers. */
export interface KernelListing {
  availability: GuestAvailability;
  fetched: FetchedKernel[];
  /** Per series Debian offers here: its newest package, and whether that is fetched. */
  offered: { series: string; package: string; fetched: boolean }[];
}

/** The series this project knows to ask the apt lists for. */
export const KNOWN_SERIES = ["6.1", "6.12"];

/** The guest kernels (`kernels`): what can run here, what is fetched, what can be fetched. */
export function listKernels(): KernelListing {
  const fetched = fetchedKernels();
  const offered = KNOWN_SERIES.flatMap((series) => {
    const pkg = newest(seriesPackages(series));
    return pkg ? [{ series, package: pkg, fetched: fetched.some((f) => f.package === pkg) }] : [];
  });
  return { availability: guestAvailability(), fetched, offered };
}
