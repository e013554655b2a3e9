// Output files named on the command line: "-" is standard output, anything
// else is written atomically (temp file, then rename).
import { writeFileAtomic } from "./atomic-write.js";

export const STDOUT = "-";

export function writeOutput(path: string, text: string): void {
  if (path === STDOUT) process.stdout.write(text);
  else writeFileAtomic(path, text);
}
