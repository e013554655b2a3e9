// Builds the kernel-backend probe (probe/*.c and their headers) into
// build/probe with the machine's C compiler. Never fails the build: without a
// compiler or on a compile error the kernel backend is simply unavailable,
// said in one line.
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, renameSync, rmSync } from "node:fs";
import { stepState } from "./build-steps.mjs";

const cc = process.env.CC || "cc";
const unavailable = (why) => {
  console.error(`build-probe: kernel backend unavailable: ${why}`);
  process.exit(0);
};

if (process.platform !== "linux") unavailable(`platform is ${process.platform}, not linux`);
mkdirSync("build", { recursive: true });
// Nothing changed since the last build of both binaries: keep them.
const state = stepState("probe", ["probe", "scripts/build-probe.mjs"], ["build/probe"]);
if (state.fresh && !process.argv.includes("--force")) process.exit(0);
// Each binary is compiled to a temporary name and renamed into place, so a
// probe running meanwhile is never replaced half-written.
const tmp = (path) => `${path}.tmp-${process.pid}`;
const sources = readdirSync("probe")
  .filter((f) => f.endsWith(".c"))
  .sort()
  .map((f) => `probe/${f}`);
const r = spawnSync(cc, ["-O2", "-std=gnu11", "-pthread", "-Wall", "-Wextra", "-o", tmp("build/probe"), ...sources], {
  encoding: "utf8",
});
// A stale binary from an older source must not pass for a working backend.
if (r.error || r.status !== 0) for (const f of ["build/probe", tmp("build/probe")]) rmSync(f, { force: true });
if (r.error) unavailable(`cannot run ${cc}: ${r.error.code ?? r.error.message}`);
if (r.status !== 0) {
  const first = (r.stderr || "").split("\n").find((l) => /error/.test(l)) ?? `exit ${r.status}`;
  unavailable(`${cc} failed: ${first.trim()}`);
}
if (r.stderr.trim()) process.stderr.write(r.stderr);
renameSync(tmp("build/probe"), "build/probe");
console.error("build-probe: built build/probe");
// The same probe linked statically, for guest kernels under QEMU (src/kernel/initramfs.ts);
// without a static C library (Debian: libc6-dev) only the guests are unavailable.
const s = spawnSync(cc, ["-O2", "-std=gnu11", "-pthread", "-static", "-o", tmp("build/probe-static"), ...sources], { encoding: "utf8" });
if (s.status === 0) {
  renameSync(tmp("build/probe-static"), "build/probe-static");
  console.error("build-probe: built build/probe-static");
} else {
  rmSync("build/probe-static", { force: true });
  rmSync(tmp("build/probe-static"), { force: true });
  console.error(
    `build-probe: guest kernels unavailable: ${cc} -static failed: ${
      (s.stderr || "")
        .split("\n")
        .find((l) => /error|cannot find/.test(l))
        ?.trim() ?? `exit ${s.status}`
    }`,
  );
}
state.done();
