// Kept as the name older call sites know; the checks and the atomic write
// live in files.ts.
export { writeOutput as writeFileAtomic } from "./files.js";
