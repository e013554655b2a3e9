// The native anchors: probe builds per compiler and optimisation level
// (scripts/build-anchors.mjs writes build/anchors/anchors.json). Read as a
// hostile file: every field checked, binaries located by a checked name
// only, never by a path the file gives.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import type { NativeBuild } from "../contract/native-build.js";
import { anchorsDir } from "./paths.js";

export interface Anchor extends NativeBuild {
  /** e.g. "gcc-O3-native": the row's `build` parameter. */
  name: string;
  /** The binary, or null when it could not be built (`unavailable` says why). */
  path: string | null;
  unavailable: string | null;
}

const ANCHORS_FILE_LIMIT = 64 * 1024;
const word = z.string().regex(/^[a-z][a-z0-9+]{0,15}$/);

const AnchorsDoc = z.object({
  builds: z
    .array(
      z.object({
        name: z.string().regex(/^[a-z][a-z0-9+]{0,15}-[A-Za-z0-9-]{1,32}$/),
        compiler: word,
        version: z.string().max(200).nullable(),
        flags: z.array(z.string().regex(/^-[A-Za-z0-9=_.-]{1,40}$/)).max(8),
        unavailable: z.string().max(300).nullable(),
      }),
    )
    .max(16),
});

/** The anchors the build made, or why there are none. */
export function loadAnchors(dir: string = anchorsDir()): { anchors: Anchor[]; reason: string | null } {
  const file = join(dir, "anchors.json");
  if (!existsSync(file)) return { anchors: [], reason: `no ${file} (run npm run build:anchors)` };
  if (statSync(file).size > ANCHORS_FILE_LIMIT) return { anchors: [], reason: `${file} is larger than ${ANCHORS_FILE_LIMIT} bytes` };
  let doc: z.infer<typeof AnchorsDoc>;
  try {
    doc = AnchorsDoc.parse(JSON.parse(readFileSync(file, "utf8")));
  } catch {
    return { anchors: [], reason: `${file} is not an anchors document (run npm run build:anchors)` };
  }
  const anchors = doc.builds.map((b): Anchor => {
    const path = join(dir, `probe-${b.name}`);
    const unavailable = b.unavailable ?? (existsSync(path) ? null : `no binary ${path}`);
    return { ...b, path: unavailable === null ? path : null, unavailable };
  });
  return { anchors, reason: null };
}

/** "gcc -O3 -march=native": the compiler and flags as typed. */
export function buildText(b: NativeBuild): string {
  return [b.compiler, ...b.flags].join(" ");
}
