// The C probe's part of npm run deps:check: the files of probe/ depend on
// each other in one direction only. A file X.c declares what it gives the
// others in X.h and includes the headers of what it uses (see probe/probe.h),
// so the `#include "..."` lines are the dependency graph: X (X.c and X.h)
// depends on Y when either includes Y.h. Exit 1 naming each cycle; the
// folder to check is the argument (default probe).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? "probe";
const moduleOf = (file) => file.replace(/\.[ch]$/, "");
const edges = new Map();
for (const file of readdirSync(dir).filter((f) => /\.[ch]$/.test(f))) {
  const from = moduleOf(file);
  if (!edges.has(from)) edges.set(from, new Set());
  for (const [, header] of readFileSync(join(dir, file), "utf8").matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)) {
    const to = moduleOf(header);
    if (to !== from) edges.get(from).add(to);
  }
}

// Depth-first, in name order: a grey module met again closes a cycle.
const cycles = [];
const state = new Map();
const path = [];
const visit = (m) => {
  state.set(m, "grey");
  path.push(m);
  for (const n of [...(edges.get(m) ?? [])].sort()) {
    if (state.get(n) === "grey") cycles.push([...path.slice(path.indexOf(n)), n]);
    else if (!state.has(n)) visit(n);
  }
  path.pop();
  state.set(m, "black");
};
for (const m of [...edges.keys()].sort()) if (!state.has(m)) visit(m);

if (cycles.length > 0) {
  for (const c of cycles) console.error(`probe include cycle: ${c.join(" -> ")} (move what both need into a header of its own)`);
  process.exit(1);
}
console.log(`${dir}: no include cycles (${edges.size} modules)`);
