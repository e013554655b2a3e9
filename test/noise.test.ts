import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { startNoise } from "../src/bench/noise.js";

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
};

test("the noisy neighbour is a separate process with a busy thread per core, gone when stopped", async () => {
  const noise = startNoise(2);
  assert.notEqual(noise.pid, process.pid);
  await new Promise((r) => setTimeout(r, 600));
  assert.ok(alive(noise.pid));
  const threads = Number(/Threads:\s+(\d+)/.exec(readFileSync(`/proc/${noise.pid}/status`, "utf8"))![1]);
  assert.ok(threads >= 2 + 1, `${threads} threads`);
  noise.stop();
  for (let i = 0; i < 40 && alive(noise.pid); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(!alive(noise.pid));
});
