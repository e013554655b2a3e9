/**
 * The AssemblyScript compiler as a child of `ab`'s builds
 * (src/bench/wasm-source-build.ts) that ends when its parent does: the
 * parent holds our standard input open, and a parent that dies, even by
 * SIGKILL where no handler runs, closes it. argv: the compiler's API module
 * (assemblyscript/dist/asc.js), then the compiler's arguments.
 */
import { pathToFileURL } from "node:url";

process.stdin.on("end", () => process.exit(137));
process.stdin.resume();
const [api, ...args] = process.argv.slice(2);
const asc = (await import(pathToFileURL(api).href)) as {
  main(argv: string[], opts: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream }): Promise<{ error: Error | null }>;
};
const { error } = await asc.main(args, { stdout: process.stdout, stderr: process.stderr });
process.exit(error ? 1 : 0);
