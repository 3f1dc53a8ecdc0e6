/**
 * Everything the CLI writes. Human output is aligned text; `--json` output is one JSON document per line so it
 * can be piped into `jq` or parsed by a script.
 */

/** Where output goes; main() takes one so it can be driven without a terminal. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: Io = {
  stdout: (text) => void process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  stderr: (text) => void process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
};

export function printJson(io: Io, value: unknown): void {
  io.stdout(JSON.stringify(value));
}

/**
 * A value from the server made safe for a terminal. Certificate subjects and token hints come from other
 * parties; printed raw, control characters in them could rewrite the screen (ANSI escape injection), so they
 * are shown escaped. Absent values print as "-".
 */
export function displayValue(value: unknown): string {
  if (value === undefined || value === null || value === "") return "-";
  const text = typeof value === "string" ? value : typeof value === "object" ? JSON.stringify(value) : String(value);
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/**
 * Dates as ISO 8601 in UTC, whatever the server sent: an ISO string, or epoch milliseconds. A number below 1e11
 * is taken as epoch seconds: as milliseconds it would be a moment in 1973, which no Gatehouse record can carry.
 */
export function displayDate(value: unknown): string {
  if (typeof value === "number" && Number.isFinite(value)) {
    return new Date(Math.abs(value) < 1e11 ? value * 1000 : value).toISOString();
  }
  if (typeof value === "string" && value !== "") {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? displayValue(value) : new Date(parsed).toISOString();
  }
  return displayValue(value);
}

/** `label  value` lines with the values in one column. */
export function formatKeyValues(rows: ReadonlyArray<readonly [string, string]>, indent = ""): string {
  const width = Math.max(0, ...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${indent}${label.padEnd(width)}  ${value}`).join("\n");
}

/** A table with a header row; the last column is not padded, so lines carry no trailing blanks. */
export function formatTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => (row[i] ?? "").length)));
  const formatRow = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [formatRow(headers), ...rows.map(formatRow)].join("\n");
}
