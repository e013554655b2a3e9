/**
 * A mistake of the user or of an input file: the CLI prints its message on one
 * line and exits with `exitCode` (2), never a stack trace.
 */
export class UserError extends Error {
  readonly exitCode: number = 2;
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}

/** Ctrl-C (or SIGTERM) ended work that leaves nothing to report: one line, exit 130 as a shell expects. */
export class Interrupted extends UserError {
  override readonly exitCode: number = 130;
  constructor(message: string) {
    super(`interrupted: ${message}`);
    this.name = "Interrupted";
  }
}

/**
 * A scenario that cannot run as written (docs/scenario-format.md): names the file, the
 * step index and the field at fault.
 */
export class ScenarioError extends UserError {
  constructor(
    readonly file: string,
    readonly step: number | null,
    readonly field: string | null,
    readonly detail: string,
  ) {
    super(`${file}: ` + (step === null ? "" : `step ${step}: `) + (field === null ? "" : `field "${field}": `) + detail);
    this.name = "ScenarioError";
  }
}
