/**
 * Every output a command can write, in the order of the help and of the
 * writes. Adding one = its file (an OutputFormat: flag, needs, help,
 * render) and its entry below; bench, compare, ab and report then offer
 * its flag, check its path and write it.
 */
import { bmf } from "./bmf.js";
import { comparisonJson } from "./comparison-json.js";
import { csv } from "./csv.js";
import { ghAction } from "./gh-action-benchmark.js";
import { html } from "./html-output.js";
import { markdown } from "./markdown-output.js";
import type { OutputFormat } from "./output-format.js";

/** Every output the commands can write, in help order (renderOutput and writeOutputs write them by name). */
// biome-ignore format: one output a line, so adding one is adding a line
export const OUTPUTS: readonly OutputFormat[] = [
  markdown,
  comparisonJson,
  csv,
  html,
  bmf,
  ghAction,
];
