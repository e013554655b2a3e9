// The guest's initramfs: a gzip'd newc cpio archive with a static busybox,
// the static probe and an init that hands the probe a serial port. Written
// here (no cpio or root needed for the device nodes), cached in the state
// folder under a name that is the hash of what it holds, so a changed probe
// makes a new one.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { writeOutput } from "../util/files.js";

/** What init prints on the data port once the probe is about to read: then the host may write. */
export const READY_MARKER = "AIO-RING-BENCH-READY";

/**
 * ttyS0 is the kernel's console (kept apart: printk must not split answers);
 * ttyS1 is the data port, raw so that nothing is echoed or translated.
 */
export const INIT_SCRIPT = `#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox stty -F /dev/ttyS1 raw -echo
exec </dev/ttyS1 >/dev/ttyS1 2>/dev/console
echo "${READY_MARKER} release=$(/bin/busybox uname -r) aio_max_nr=$(/bin/busybox cat /proc/sys/fs/aio-max-nr)"
/bin/probe scenarios "seconds=$aio_ring_bench_seconds" $aio_ring_bench_settle
/bin/busybox poweroff -f
`;

interface Entry {
  name: string;
  mode: number;
  data?: Uint8Array;
  /** Character device major, minor. */
  dev?: [number, number];
}

const S_IFDIR = 0o040000;
const S_IFREG = 0o100000;
const S_IFCHR = 0o020000;

/** One newc header + name + data, each padded to 4 bytes. */
function newcEntry(ino: number, e: Entry): Buffer {
  const name = Buffer.from(`${e.name}\0`);
  const data = e.data ?? new Uint8Array(0);
  const hex = (n: number) => n.toString(16).padStart(8, "0");
  const [major, minor] = e.dev ?? [0, 0];
  const fields = [ino, e.mode, 0, 0, 1, 0, data.length, 0, 0, major, minor, name.length, 0];
  const header = Buffer.from(`070701${fields.map(hex).join("")}`);
  const pad = (n: number) => Buffer.alloc((4 - (n % 4)) % 4);
  return Buffer.concat([header, name, pad(header.length + name.length), data, pad(data.length)]);
}

export function cpioNewc(entries: Entry[]): Buffer {
  const parts = entries.map((e, i) => newcEntry(i + 1, e));
  parts.push(newcEntry(0, { name: "TRAILER!!!", mode: 0 }));
  return Buffer.concat(parts);
}

/** True when the ELF file has no program interpreter (runs without a dynamic loader). */
export function isStaticElf(bytes: Uint8Array): boolean {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 2) return false;
  const phoff = Number(b.readBigUInt64LE(0x20));
  const phentsize = b.readUInt16LE(0x36);
  const phnum = b.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    if (at + 4 > b.length) return false;
    if (b.readUInt32LE(at) === 3) return false; // PT_INTERP
  }
  return true;
}

const BUSYBOX_PLACES = ["/bin/busybox", "/usr/bin/busybox"];

/** The static busybox (Debian: busybox-static), or why there is none. */
export function findStaticBusybox(): { path: string } | { reason: string } {
  const found = BUSYBOX_PLACES.filter((p) => existsSync(p));
  for (const p of found) if (isStaticElf(readFileSync(p))) return { path: p };
  return { reason: found.length ? `${found[0]} is not statically linked (install busybox-static)` : "no busybox (install busybox-static)" };
}

/**
 * The initramfs for this probe and busybox, built into `dir` when missing
 * (atomically: temp + rename), and its path.
 */
export function ensureInitramfs(dir: string, staticProbe: string, busybox: string): string {
  const probe = readFileSync(staticProbe);
  const box = readFileSync(busybox);
  const hash = createHash("sha256").update(INIT_SCRIPT).update(probe).update(box).digest("hex").slice(0, 16);
  const path = join(dir, `initramfs-${hash}.cpio.gz`);
  if (existsSync(path)) return path;
  const dirEntry = (name: string): Entry => ({ name, mode: S_IFDIR | 0o755 });
  const image = cpioNewc([
    ...["bin", "dev", "proc", "sys", "tmp"].map(dirEntry),
    { name: "dev/console", mode: S_IFCHR | 0o600, dev: [5, 1] },
    { name: "dev/ttyS1", mode: S_IFCHR | 0o600, dev: [4, 65] },
    { name: "dev/null", mode: S_IFCHR | 0o666, dev: [1, 3] },
    { name: "bin/busybox", mode: S_IFREG | 0o755, data: box },
    { name: "bin/probe", mode: S_IFREG | 0o755, data: probe },
    { name: "init", mode: S_IFREG | 0o755, data: Buffer.from(INIT_SCRIPT) },
  ]);
  writeOutput(path, gzipSync(image, { level: 6 }));
  return path;
}
