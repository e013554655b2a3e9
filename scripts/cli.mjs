// What `npm run bench` (and the other npm scripts of the CLI) run: builds
// when the tree is stale, then hands the arguments to dist/src/cli.js in this
// process. --help, -h, --version (-v) and --list answer without building when a
// build exists, so asking how to use the tool never waits for a compiler.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build, isStale } from "./build-if-stale.mjs";

const cli = fileURLToPath(new URL("../dist/src/cli.js", import.meta.url));
const args = process.argv.slice(2);
const askingOnly = args.some((a) => a === "--help" || a === "-h" || a === "--version" || a === "--list") || args[0] === "-v" || args[0] === "-V";
if (!(askingOnly && existsSync(cli)) && isStale()) {
  const status = build();
  if (status !== 0) {
    console.error(`aio-ring-bench: the build failed (exit ${status}); see the messages above`);
    process.exit(status);
  }
}
process.argv = [process.argv[0], cli, ...args];
await import(cli);
