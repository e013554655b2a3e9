/**
 * The run's context, like Google Benchmark's `context` block: what the CPU
 * was doing (frequency, governor, caches, load average at start and end),
 * how the measured code was built (WASM flags, toolchain versions) and where
 * it ran (CI identity from ci-info). Everything is read where readable and
 * null where this machine does not say; nothing here fails a run.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import ci from "ci-info";
import type { CacheInfo, RunContext } from "../contract/run-context.js";
import { PACKAGE_ROOT } from "./machine.js";

function read(path: string): string | null {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return null;
  }
}

const CPU = "/sys/devices/system/cpu/cpu0";

function cpuMhz(): number | null {
  const khz = Number(read(join(CPU, "cpufreq/scaling_cur_freq")));
  if (khz > 0) return Math.round(khz / 1000);
  const m = /^cpu MHz\s*:\s*([\d.]+)/m.exec(read("/proc/cpuinfo") ?? "");
  return m ? Math.round(Number(m[1])) : null;
}

function caches(): CacheInfo[] {
  const dir = join(CPU, "cache");
  if (!existsSync(dir)) return [];
  const out: CacheInfo[] = [];
  for (const entry of readdirSync(dir)
    .filter((e) => /^index\d+$/.test(e))
    .sort()) {
    const level = Number(read(join(dir, entry, "level")));
    const type = read(join(dir, entry, "type"));
    const size = read(join(dir, entry, "size"));
    if (level > 0 && type && size) out.push({ level, type, size });
  }
  return out;
}

function packageVersion(name: string): string | null {
  const text = read(join(PACKAGE_ROOT, "node_modules", name, "package.json"));
  try {
    return text ? (JSON.parse(text) as { version: string }).version : null;
  } catch {
    return null;
  }
}

function ccVersion(): string | null {
  try {
    const out = execFileSync(process.env.CC || "cc", ["--version"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 2000 });
    return out.split("\n")[0].trim() || null;
  } catch {
    return null;
  }
}

function wasmBuild(): RunContext["wasm"] {
  const text = read(join(PACKAGE_ROOT, "build", "wasm-build.json"));
  if (!text) return null;
  try {
    const b = JSON.parse(text) as { assemblyscript?: unknown; target?: unknown; modules?: unknown };
    const modules = Array.isArray(b.modules)
      ? b.modules
          .filter((m): m is { name: string; flags: string[] } => typeof m?.name === "string" && Array.isArray(m.flags))
          .map((m) => ({ name: m.name, flags: m.flags.map(String) }))
      : [];
    return { assemblyscript: typeof b.assemblyscript === "string" ? b.assemblyscript : null, target: typeof b.target === "string" ? b.target : null, modules };
  } catch {
    return null;
  }
}

function ciIdentity(env: NodeJS.ProcessEnv = process.env): RunContext["ci"] {
  if (!ci.isCI) return null;
  const branch = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME || env.CI_COMMIT_REF_NAME || env.BRANCH_NAME || null;
  const run = env.GITHUB_RUN_ID
    ? `${env.GITHUB_SERVER_URL ?? ""}/${env.GITHUB_REPOSITORY ?? ""}/actions/runs/${env.GITHUB_RUN_ID}`
    : env.CI_JOB_URL || env.BUILD_URL || null;
  return { name: ci.name, vendor: ci.id, pull_request: Boolean(ci.isPR), branch, run };
}

/** The context at the start of a run; `finishContext` adds the end load. */
export function startContext(): RunContext {
  const maxKhz = Number(read(join(CPU, "cpufreq/cpuinfo_max_freq")));
  return {
    cpu_mhz: cpuMhz(),
    cpu_max_mhz: maxKhz > 0 ? Math.round(maxKhz / 1000) : null,
    governor: read(join(CPU, "cpufreq/scaling_governor")),
    caches: caches(),
    load_avg_start: loadavg().map((x) => Math.round(x * 100) / 100),
    load_avg_end: null,
    wasm: wasmBuild(),
    toolchain: { node: process.version, typescript: packageVersion("typescript"), assemblyscript: packageVersion("assemblyscript"), cc: ccVersion() },
    ci: ciIdentity(),
  };
}

export function finishContext(c: RunContext): RunContext {
  return { ...c, load_avg_end: loadavg().map((x) => Math.round(x * 100) / 100) };
}
