// What the terminal we print to can show: its width and whether it takes
// colour. Colour follows Node's own detection (stream.hasColors(): NO_COLOR,
// NODE_DISABLE_COLORS, FORCE_COLOR, TERM); output that is not a terminal is
// plain unless FORCE_COLOR asks for colour.
import { styleText } from "node:util";
import { WriteStream } from "node:tty";

/** Width used when neither COLUMNS nor a terminal says: the width the default run is made to fit. */
export const DEFAULT_WIDTH = 120;
const MIN_WIDTH = 40;

/** COLUMNS when set to a number (it wins, as for ls), else the terminal's width, else DEFAULT_WIDTH. */
export function terminalWidth(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = Number(env.COLUMNS);
  if (env.COLUMNS && Number.isInteger(fromEnv) && fromEnv > 0) return Math.max(MIN_WIDTH, fromEnv);
  if (stream.isTTY && stream.columns > 0) return Math.max(MIN_WIDTH, stream.columns);
  return DEFAULT_WIDTH;
}

/**
 * Width prose (headlines, fit lines, the closing line) wraps at: the
 * terminal's, or none when the output is piped, so a log or grep sees each
 * figure whole on one line.
 */
export function proseWidth(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): number {
  return env.COLUMNS || stream.isTTY ? terminalWidth(stream, env) : Number.POSITIVE_INFINITY;
}

export function colorEnabled(stream: NodeJS.WriteStream = process.stdout, env: NodeJS.ProcessEnv = process.env): boolean {
  if (stream.isTTY && typeof stream.hasColors === "function") return stream.hasColors(env);
  if (env.FORCE_COLOR === undefined) return false;
  // Node's own rule for FORCE_COLOR levels ("0" and "false" mean none).
  return WriteStream.prototype.hasColors.call(stream, 16, env);
}

type Style = Parameters<typeof styleText>[0];

/** `text` in `style` when `on`, else unchanged. */
export function paint(style: Style, text: string, on: boolean): string {
  return on ? styleText(style, text) : text;
}
