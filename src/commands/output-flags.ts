// The flags of a command's outputs, made from the output registry
// (report/outputs.ts): one FILE flag per output, and the outputs asked for.
import type { OutputFormat } from "../report/output-format.js";
import type { RequestedOutput } from "../report/write-reports.js";
import type { FlagDef } from "./args.js";
import { pathFlag } from "./flag-values.js";

/** One flag per output; `note` adds a command's word on an output (bench: "needs --compare"). */
export function outputFlags(formats: readonly OutputFormat[], section?: string, note?: (format: OutputFormat) => string): FlagDef[] {
  return formats.map((f) => ({
    name: f.flag,
    type: "string",
    arg: "FILE",
    help: f.help + (note?.(f) ?? ""),
    ...(section === undefined ? {} : { section }),
  }));
}

/** The outputs given on the command line, in the registry's order (an empty file name is refused). */
export function requestedOutputs(values: Record<string, unknown>, formats: readonly OutputFormat[]): RequestedOutput[] {
  return formats.flatMap((format) => {
    const path = pathFlag(format.flag, values[format.flag]);
    return path === undefined ? [] : [{ format, path }];
  });
}
