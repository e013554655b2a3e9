#!/usr/bin/env node
// Makes sure a headless-capable Chromium is at CHROMIUM_PATH for the browser
// test of the HTML report. When it is missing and we are root on a Debian-like
// system, installs the distribution package (`chromium`); otherwise explains
// why no browser can be had. Usable as a script (exit 0 / 1) and as a module.
import { existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";

export const CHROMIUM_PATH = "/usr/bin/chromium";

/** Runs a command with its output on stderr (stdout may be a test reporter's channel). */
function runLogged(log, cmd, args) {
  log(`ensure-chromium: running: ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, {
    stdio: ["ignore", 2, 2],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (r.error) return `${cmd} could not start: ${r.error.message}`;
  if (r.status !== 0) return `${cmd} ${args[0]} exited with ${r.status ?? r.signal}`;
  return null;
}

function onPath(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

/** A present file may still be a broken install or a snap shim; ask it for its version. */
function probe(path) {
  const r = spawnSync(path, ["--version"], { encoding: "utf8", timeout: 30_000 });
  if (r.error) return { ok: false, reason: `${path} does not run: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, reason: `${path} --version exited with ${r.status ?? r.signal}: ${(r.stderr ?? "").trim()}` };
  return { ok: true, path, version: r.stdout.trim(), installed: false };
}

/**
 * Returns `{ok: true, path, version, installed}` when Chromium can be used,
 * installing it first if needed and allowed; `{ok: false, reason}` otherwise.
 * `log` receives a line for each action taken.
 */
export function ensureChromium({ log = (line) => console.error(line) } = {}) {
  if (existsSync(CHROMIUM_PATH)) return probe(CHROMIUM_PATH);
  if (process.platform !== "linux") {
    return { ok: false, reason: `${CHROMIUM_PATH} is missing and automatic install is only done on Linux (platform: ${process.platform})` };
  }
  if (typeof process.getuid !== "function" || process.getuid() !== 0) {
    return {
      ok: false,
      reason: `${CHROMIUM_PATH} is missing and we are not root, so it cannot be installed here; install the "chromium" package (e.g. sudo apt-get install chromium)`,
    };
  }
  if (!onPath("apt-get")) {
    return { ok: false, reason: `${CHROMIUM_PATH} is missing and apt-get is not available to install it` };
  }
  log(`ensure-chromium: ${CHROMIUM_PATH} not found; installing the Debian package "chromium"`);
  const failed = runLogged(log, "apt-get", ["update"]) ?? runLogged(log, "apt-get", ["install", "-y", "chromium"]);
  if (failed) return { ok: false, reason: `installing chromium failed: ${failed}` };
  if (!existsSync(CHROMIUM_PATH)) {
    return { ok: false, reason: `apt-get installed "chromium" but ${CHROMIUM_PATH} is still missing` };
  }
  const found = probe(CHROMIUM_PATH);
  return found.ok ? { ...found, installed: true } : found;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const r = ensureChromium();
  if (r.ok) {
    console.log(`ensure-chromium: ${r.installed ? "installed" : "found"} ${r.path} (${r.version})`);
  } else {
    console.error(`ensure-chromium: no browser: ${r.reason}`);
    process.exitCode = 1;
  }
}
