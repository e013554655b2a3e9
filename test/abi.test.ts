// The ABI is defined once, in assembly/abi/ (valid AssemblyScript and
// TypeScript, imported on both sides). The C probe cannot import it: its
// constants and struct layout are compiled and compared here. And no copy
// may creep back: no file outside assembly/abi defines one of its names or
// spells the ring magic.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import {
  FD_APPEND,
  FD_BAD,
  FD_DIRECT,
  FD_RDONLY,
  FD_RDWR,
  FD_WRONLY,
  IO_FILE_BYTES,
  IOCB_BYTES,
  SIGMASK_BLOCK,
  SIGMASK_FAULT,
  SIGMASK_NULL,
  SIGMASK_UNBLOCK,
  SIGSET_SIZE,
  USIG_FAULT,
  USIG_NULL,
} from "../assembly/abi/codes.js";
import * as errno from "../assembly/abi/errno.js";
import * as rwf from "../assembly/abi/rwf.js";
import * as iocbFlags from "../assembly/abi/iocb-flags.js";
import * as limits from "../assembly/abi/limits.js";
import * as ring from "../assembly/abi/ring.js";
import * as iocb from "../assembly/abi/iocb.js";
import * as poll from "../assembly/abi/poll.js";
import * as addressSpace from "../assembly/abi/address-space.js";
import { CORE_SWITCHES, PROFILES, profileBits } from "../src/contract/profile.js";
import { REPO } from "./helpers.js";

const root = fileURLToPath(REPO);
const cc = process.env.CC || "cc";
const haveCc = spawnSync(cc, ["--version"]).status === 0;

/** abi/iocb.ts's opcodes, each the kernel's own IOCB_CMD_* of that name (<linux/aio_abi.h>). */
const IOCB_CMD_NAMES = Object.keys(iocb).filter((k) => k.startsWith("IOCB_CMD_"));

/** abi/rwf.ts's flags, each the kernel's own RWF_* of that name. */
const RWF_NAMES = Object.keys(rwf).filter((k) => /^RWF_[A-Z]+$/.test(k) && k !== "RWF_SWITCHED");

/** abi/iocb-flags.ts's constants the C side defines too: the kernel's headers (aio_flags, priorities), wire.h (no resfd, no priority). */
const IOCB_FLAG_NAMES = [
  "IOCB_FLAG_RESFD",
  "IOCB_FLAG_IOPRIO",
  "IOPRIO_CLASS_SHIFT",
  "IOPRIO_NR_LEVELS",
  "IOPRIO_CLASS_NONE",
  "IOPRIO_CLASS_RT",
  "IOPRIO_CLASS_BE",
  "IOPRIO_CLASS_IDLE",
  "RESFD_NONE",
  "RESFD_BAD",
  "RESFD_FILE",
  "IOPRIO_NONE",
];

/** The probe's view of the ABI, compiled from probe/probe.h (and wire.h's signal codes) with the machine's C compiler. */
function probeAbi(): Record<string, number> {
  const dir = mkdtempSync(join(tmpdir(), "aio-abi-"));
  const fields = ["id", "nr", "head", "tail", "magic", "compat_features", "incompat_features", "header_length"];
  const values: [string, string][] = [
    ["AIO_RING_MAGIC", "RING_MAGIC"],
    ["AIO_RING_HEADER", "sizeof(struct ring_header)"],
    ["IO_EVENT_SIZE", "sizeof(struct io_event)"],
    ...fields.map((f): [string, string] => [`off_${f}`, `offsetof(struct ring_header, ${f})`]),
    ["MAX_STEPS", "MAX_STEPS"],
    ["MAX_NAMES", "MAX_NAMES"],
    ["MAX_COUNT", "MAX_BATCH"],
    ["IOCB_BYTES", "IO_BYTES"],
    ["IO_FILE_BYTES", "FILE_BYTES"],
    ["MAX_IO_BYTES", "MAX_IO_BYTES"],
    ["MAX_IOV_SEGMENT_BYTES", "MAX_IOV_SEGMENT_BYTES"],
    ...["EBADF", "EAGAIN", "ENOMEM", "EFAULT", "EINVAL", "EINTR", "ENOSYS"].map((e): [string, string] => [e, e]),
    ["USIG_NULL", "SIG_NOUSIG"],
    ["USIG_FAULT", "SIG_USIG_BOGUS"],
    ["SIGMASK_NULL", "SIG_MASK_NULL"],
    ["SIGMASK_UNBLOCK", "SIG_MASK_UNBLOCK"],
    ["SIGMASK_BLOCK", "SIG_MASK_BLOCK"],
    ["SIGMASK_FAULT", "SIG_MASK_BOGUS"],
    ["SIGSET_SIZE", "_NSIG / 8"],
    ...["FD_RDWR", "FD_BAD", "FD_RDONLY", "FD_WRONLY", "FD_APPEND", "FD_DIRECT"].map((f): [string, string] => [f, f]),
    ["ENOSPC", "ENOSPC"],
    ["MIN_TMPFS_BYTES", "MIN_TMPFS_BYTES"],
    ["MAX_TMPFS_BYTES", "MAX_TMPFS_BYTES"],
    ["EOPNOTSUPP", "EOPNOTSUPP"],
    ["EFBIG", "EFBIG"],
    ["MAX_EVENTFDS", "MAX_EVENTFDS"],
    ["MAX_CHILD_CALLS", "MAX_CHILD_CALLS"],
    ...["MAX_LOOP_TIMES", "MAX_LOOP_BODY", "MAX_UNTIL_CONDITIONS", "MAX_EXECUTED_STEPS"].map((f): [string, string] => [f, f]),
    ...IOCB_FLAG_NAMES.map((f): [string, string] => [f, f]),
    ...IOCB_CMD_NAMES.map((c): [string, string] => [c, c]),
    // glibc's IOV_MAX is the kernel's UIO_MAXIOV (<linux/uio.h> cannot be included beside <sys/uio.h>).
    ["UIO_MAXIOV", "IOV_MAX"],
    ["MAX_IOV_SEGMENTS", "MAX_IOV_SEGMENTS"],
    ["MAX_SCENARIO_SEGMENTS", "MAX_SCENARIO_SEGMENTS"],
    // Poll blocks (FINDINGS 53): <poll.h>'s bits, io_cancel's EINPROGRESS, and the pipe limits the probe shares.
    ...["POLLIN", "POLLPRI", "POLLOUT", "POLLERR", "POLLHUP", "POLLRDNORM", "POLLWRNORM", "EINPROGRESS"].map((f): [string, string] => [f, f]),
    ...["MAX_PIPES", "PIPE_MAX_BYTES", "MAX_POLL_BLOCKS"].map((f): [string, string] => [f, f]),
    ["MAX_FILL_PAGES", "MAX_FILL_PAGES"],
    ["MAX_CONTENT_PAGES", "MAX_CONTENT_PAGES"],
    ["MAX_BUF_TOUCH_BYTES", "MAX_BUF_TOUCH_BYTES"],
    ["MAX_PEEK_RUNS", "MAX_PEEK_RUNS"],
    ["MAX_ALIGN_PAGES", "MAX_ALIGN_PAGES"],
    ["MAX_MAPPING_PAGES", "MAX_MAPPING_PAGES"],
    // An mmap step's prot (FINDINGS 59): the probe maps with <sys/mman.h>'s bits.
    ...["PROT_READ", "PROT_WRITE"].map((f): [string, string] => [f, f]),
    ...["MAX_THREADS", "MAX_THREAD_NR", "MIN_THREAD_TIMEOUT_NS", "MAX_THREAD_TIMEOUT_NS"].map((f): [string, string] => [f, f]),
  ];
  const line = (k: string, v: string, first: boolean) => `\tprintf("%s\\"${k}\\":%lld", ${first ? '""' : '","'}, (long long)(${v}));`;
  // The RWF_* flags the machine's <linux/fs.h> defines: an older header lacks the newer ones.
  // IOPRIO_HINT_SHIFT and the INVALID class came with priority hints (6.5): an older header has neither.
  const flags = [...RWF_NAMES, "IOPRIO_HINT_SHIFT"].map((f) => `#ifdef ${f}\n${line(f, f, false)}\n#endif`);
  const body = [...values.map(([k, v], i) => line(k, v, i === 0)), ...flags].join("\n");
  const src = join(dir, "abi.c");
  writeFileSync(
    src,
    `#include "probe.h"\n#include "wire.h"\n#include "io.h"\n#include <limits.h>\n#include <linux/fs.h>\n#include <linux/ioprio.h>\nint main(void)\n{\n\tprintf("{");\n${body}\n\tprintf("}\\n");\n\treturn 0;\n}\n`,
  );
  const exe = join(dir, "abi");
  const built = spawnSync(cc, ["-std=gnu11", "-I", join(root, "probe"), "-o", exe, src], { encoding: "utf8" });
  assert.equal(built.status, 0, built.stderr);
  return JSON.parse(spawnSync(exe, { encoding: "utf8" }).stdout);
}

describe("single-source ABI", () => {
  it("the C probe's constants and ring layout match assembly/abi", { skip: haveCc ? false : `no C compiler (${cc})` }, () => {
    const c = probeAbi();
    const offsets = {
      id: ring.RING_ID,
      nr: ring.RING_NR,
      head: ring.RING_HEAD,
      tail: ring.RING_TAIL,
      magic: ring.RING_MAGIC,
      compat_features: ring.RING_COMPAT,
      incompat_features: ring.RING_INCOMPAT,
      header_length: ring.RING_HEADER_LENGTH,
    };
    for (const [field, off] of Object.entries(offsets)) assert.equal(c[`off_${field}`], off, `offset of ${field}`);
    assert.equal(c.AIO_RING_MAGIC, ring.AIO_RING_MAGIC);
    assert.equal(c.AIO_RING_HEADER, ring.AIO_RING_HEADER);
    assert.equal(c.IO_EVENT_SIZE, ring.IO_EVENT_SIZE);
    assert.equal(c.MAX_STEPS, limits.MAX_STEPS);
    assert.equal(c.MAX_NAMES, limits.MAX_NAMES);
    assert.equal(c.MAX_COUNT, limits.MAX_COUNT);
    assert.equal(c.IOCB_BYTES, IOCB_BYTES);
    assert.equal(c.IO_FILE_BYTES, IO_FILE_BYTES);
    assert.deepEqual([c.MAX_IO_BYTES, c.MAX_IOV_SEGMENT_BYTES], [limits.MAX_IO_BYTES, limits.MAX_IOV_SEGMENT_BYTES]);
    assert.deepEqual(
      { EBADF: c.EBADF, EAGAIN: c.EAGAIN, ENOMEM: c.ENOMEM, EFAULT: c.EFAULT, EINVAL: c.EINVAL },
      { EBADF: errno.EBADF, EAGAIN: errno.EAGAIN, ENOMEM: errno.ENOMEM, EFAULT: errno.EFAULT, EINVAL: errno.EINVAL },
    );
    assert.deepEqual([c.EINTR, c.ENOSYS], [errno.EINTR, errno.ENOSYS]);
    // io_pgetevents's signal argument: the probe's enum in the codes' order, and the kernel's sigset size.
    const sig = { USIG_NULL, USIG_FAULT, SIGMASK_NULL, SIGMASK_UNBLOCK, SIGMASK_BLOCK, SIGMASK_FAULT, SIGSET_SIZE };
    for (const [k, v] of Object.entries(sig)) assert.equal(c[k], v, k);
    // io_submit's file: the probe's enum in the codes' order.
    for (const [k, v] of Object.entries({ FD_RDWR, FD_BAD, FD_RDONLY, FD_WRONLY, FD_APPEND, FD_DIRECT })) assert.equal(c[k], v, k);
    // A scenario's tmpfs: ENOSPC in its events, and the sizes the probe takes.
    assert.equal(c.ENOSPC, errno.ENOSPC);
    assert.deepEqual([c.MIN_TMPFS_BYTES, c.MAX_TMPFS_BYTES], [limits.MIN_TMPFS_BYTES, limits.MAX_TMPFS_BYTES]);
    assert.equal(c.EOPNOTSUPP, errno.EOPNOTSUPP);
    assert.equal(c.EFBIG, errno.EFBIG);
    // io_submit's opcodes and the iovec bounds: the kernel's, and the probe's arrays.
    assert.ok(IOCB_CMD_NAMES.length >= 7, `abi/iocb.ts defines ${IOCB_CMD_NAMES.join(", ")}`);
    for (const k of IOCB_CMD_NAMES) assert.equal(c[k], (iocb as Record<string, number>)[k], k);
    assert.equal(c.UIO_MAXIOV, iocb.UIO_MAXIOV);
    assert.equal(c.MAX_IOV_SEGMENTS, limits.MAX_IOV_SEGMENTS);
    assert.equal(c.MAX_SCENARIO_SEGMENTS, limits.MAX_SCENARIO_SEGMENTS);
    assert.deepEqual([c.MAX_FILL_PAGES, c.MAX_CONTENT_PAGES], [limits.MAX_FILL_PAGES, limits.MAX_CONTENT_PAGES]);
    assert.deepEqual([c.MAX_BUF_TOUCH_BYTES, c.MAX_PEEK_RUNS], [limits.MAX_BUF_TOUCH_BYTES, limits.MAX_PEEK_RUNS]);
    assert.equal(c.MAX_ALIGN_PAGES, limits.MAX_ALIGN_PAGES);
    assert.equal(c.MAX_MAPPING_PAGES, limits.MAX_MAPPING_PAGES);
    assert.deepEqual([c.PROT_READ, c.PROT_WRITE], [addressSpace.PROT_READ, addressSpace.PROT_WRITE]);
    assert.ok(limits.MAX_IOV_SEGMENTS > iocb.UIO_MAXIOV, "an array may be long enough for the EINVAL of too many segments");
    // MAX_RW_COUNT (INT_MAX rounded down to a page): a longer block or iovec array the kernel would cut short, which no model does.
    const maxRwCount = 0x7fffffff & ~(ring.PAGE_SIZE - 1);
    assert.ok(limits.MAX_IO_BYTES <= maxRwCount && iocb.UIO_MAXIOV * limits.MAX_IOV_SEGMENT_BYTES <= maxRwCount, "no block is cut short");
    // The probe lays a vectored block's segments one after another in its buffer: a readable array fits.
    assert.ok(iocb.UIO_MAXIOV * limits.MAX_IOV_SEGMENT_BYTES <= limits.MAX_IO_BYTES, "UIO_MAXIOV segments fit in the I/O buffer end to end");
    // aio_rw_flags: every flag this machine's headers define is abi/rwf.ts's (RWF_HIPRI to RWF_APPEND at least).
    const defined = RWF_NAMES.filter((f) => f in c);
    assert.ok(defined.length >= 5, `the headers define ${defined.join(", ")}`);
    for (const f of defined) assert.equal(c[f], (rwf as Record<string, number>)[f], f);
    for (const f of IOCB_FLAG_NAMES) assert.equal(c[f], (iocbFlags as Record<string, number>)[f], f);
    if ("IOPRIO_HINT_SHIFT" in c) assert.equal(c.IOPRIO_HINT_SHIFT, iocbFlags.IOPRIO_HINT_SHIFT);
    assert.equal(c.MAX_EVENTFDS, limits.MAX_EVENTFDS);
    assert.equal(c.MAX_CHILD_CALLS, limits.MAX_CHILD_CALLS);
    assert.deepEqual(
      [c.MAX_LOOP_TIMES, c.MAX_LOOP_BODY, c.MAX_UNTIL_CONDITIONS, c.MAX_EXECUTED_STEPS],
      [limits.MAX_LOOP_TIMES, limits.MAX_LOOP_BODY, limits.MAX_UNTIL_CONDITIONS, limits.MAX_EXECUTED_STEPS],
    );
    for (const f of ["POLLIN", "POLLPRI", "POLLOUT", "POLLERR", "POLLHUP", "POLLRDNORM", "POLLWRNORM", "MAX_PIPES", "PIPE_MAX_BYTES", "MAX_POLL_BLOCKS"])
      assert.equal(c[f], (poll as Record<string, number>)[f], f);
    assert.equal(c.EINPROGRESS, errno.EINPROGRESS);
    assert.deepEqual(
      [c.MAX_THREADS, c.MAX_THREAD_NR, c.MIN_THREAD_TIMEOUT_NS, c.MAX_THREAD_TIMEOUT_NS],
      [limits.MAX_THREADS, limits.MAX_THREAD_NR, limits.MIN_THREAD_TIMEOUT_NS, limits.MAX_THREAD_TIMEOUT_NS],
    );
  });

  it("every profile's known rw_flags are what the core rebuilds from its switches: RWF_KNOWN_BASE plus switched bits", () => {
    for (const p of Object.values(PROFILES)) {
      if (p.rwFlagsKnown === null) continue;
      assert.equal(p.rwFlagsKnown & ~rwf.RWF_SWITCHED, rwf.RWF_KNOWN_BASE, `${p.name}: the bits no switch carries`);
    }
    // Each switched bit is a flag of its own (one bit), and the refused ones are known somewhere.
    for (const bit of [rwf.RWF_NOAPPEND, rwf.RWF_ATOMIC, rwf.RWF_DONTCACHE, rwf.RWF_NOSIGNAL]) assert.equal(rwf.RWF_SWITCHED & bit, bit);
    assert.equal(rwf.RWF_REFUSED_ON_FILE & ~(rwf.RWF_KNOWN_BASE | rwf.RWF_SWITCHED), 0);
  });

  it("assembly/profile.ts is what the profile table (CORE_SWITCHES) generates, each switch its own bit", () => {
    const r = spawnSync(process.execPath, ["scripts/gen-profile.mjs", "--check"], { cwd: root, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const names = CORE_SWITCHES.map((s) => s.name);
    assert.equal(new Set(names).size, names.length, `a switch named twice: ${names}`);
    // Every profile's switches come back from its bits, so no two switches share a bit.
    for (const p of Object.values(PROFILES)) {
      const bits = profileBits(p);
      for (const [k, s] of CORE_SWITCHES.entries()) assert.equal(((bits >> k) & 1) === 1, s.of(p), `${p.name}: ${s.name}`);
    }
  });

  it("no file outside assembly/abi defines an ABI name or spells the ring magic", () => {
    const abiDir = join(root, "assembly", "abi");
    const names = readdirSync(abiDir)
      .filter((f) => f.endsWith(".ts"))
      .flatMap((f) => [...readFileSync(join(abiDir, f), "utf8").matchAll(/^export const (\w+)/gm)].map((m) => m[1]));
    assert.ok(names.length > 40, `found ${names.length} ABI names`);
    // A copy: one of the names defined by a number (or a shift of numbers), not derived from the ABI.
    const definition = new RegExp(
      `\\b(?:const|let|var)\\s+(${names.join("|")})\\s*(?::\\s*\\w+)?\\s*=\\s*(?:-?(?:0x[\\da-f_]+|\\d[\\d_]*)|\\d+\\s*<<\\s*\\d+)\\s*;`,
      "i",
    );
    const magic = /0xa10a10a1|2701791393/i;
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) {
          if (path !== abiDir) walk(path);
        } else if (/\.(ts|mjs|c)$/.test(entry.name)) {
          const text = readFileSync(path, "utf8");
          const def = definition.exec(text);
          if (def) offenders.push(`${relative(root, path)} defines ${def[1]}`);
          if (magic.test(text) && entry.name !== "abi.test.ts") offenders.push(`${relative(root, path)} spells the ring magic`);
        }
      }
    };
    for (const dir of ["assembly", "src", "bench", "scripts", "test"]) walk(join(root, dir));
    for (const f of readdirSync(join(root, "probe")).filter((f) => /\.[ch]$/.test(f) && f !== "probe.h")) {
      if (magic.test(readFileSync(join(root, "probe", f), "utf8"))) offenders.push(`probe/${f} spells the ring magic (probe.h holds the C copy)`);
    }
    assert.deepEqual(offenders, []);
  });
});
