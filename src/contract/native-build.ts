// How a native row's code was built: recorded per result in the run JSON
// (docs/run-format.md, `build`), so a figure against native code names the
// compiler, its version and the flags it was measured at.
export interface NativeBuild {
  compiler: string;
  /** The compiler's `--version` line; null when it is not installed. */
  version: string | null;
  flags: string[];
}
