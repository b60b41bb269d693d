/**
 * A tool result's data as text a person can read in a transcript, with nothing left out: one `key: value` line
 * per field, a list of records as one line per record, nested objects indented. The same data is in
 * structuredContent for clients that read it; many hosts show (and give the model) only the text, so the text
 * must be complete too.
 *
 * Every string DigiCert sent is written as a JSON string literal (quoted, escaped), and so is any key that is
 * not a plain name: text from the API stays recognisably data, never instructions (test/reliability/
 * data-as-data.test.ts).
 */

/** A record in a list fits on one line when its rendering is at most this long. */
const ONE_LINE_CHARS = 200;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function key(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : JSON.stringify(name);
}

function scalar(value: unknown): string {
  if (value === undefined) return "null";
  return JSON.stringify(value) ?? String(value);
}

const isScalar = (value: unknown) => value === null || typeof value !== "object";

/** A list of scalars on one line: "a", "b", "c"; an empty list says so. */
function scalars(list: unknown[]): string {
  return list.length === 0 ? "(none)" : list.map(scalar).join(", ");
}

/** `key: value, key: value` when every field is a scalar or a list of scalars, else undefined. */
function inline(record: Record<string, unknown>): string | undefined {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(record)) {
    if (isScalar(v)) parts.push(`${key(k)}: ${scalar(v)}`);
    else if (Array.isArray(v) && v.every(isScalar)) parts.push(`${key(k)}: [${v.map(scalar).join(", ")}]`);
    else return undefined;
  }
  const line = parts.join(", ");
  return line.length <= ONE_LINE_CHARS ? line : undefined;
}

function lines(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) listItem(item, indent, out);
    return;
  }
  if (!isRecord(value)) {
    out.push(`${indent}${scalar(value)}`);
    return;
  }
  for (const [k, v] of Object.entries(value)) field(k, v, indent, out);
}

function field(name: string, value: unknown, indent: string, out: string[]): void {
  if (isScalar(value)) {
    out.push(`${indent}${key(name)}: ${scalar(value)}`);
  } else if (Array.isArray(value) && value.every(isScalar)) {
    out.push(`${indent}${key(name)}: ${scalars(value)}`);
  } else if (Array.isArray(value)) {
    out.push(`${indent}${key(name)} (${value.length}):`);
    for (const item of value) listItem(item, indent, out);
  } else {
    const record = value as Record<string, unknown>;
    if (Object.keys(record).length === 0) {
      out.push(`${indent}${key(name)}: {}`);
      return;
    }
    out.push(`${indent}${key(name)}:`);
    lines(record, `${indent}  `, out);
  }
}

function listItem(item: unknown, indent: string, out: string[]): void {
  if (!isRecord(item)) {
    if (Array.isArray(item)) {
      out.push(`${indent}- (${item.length}):`);
      lines(item, `${indent}  `, out);
    } else out.push(`${indent}- ${scalar(item)}`);
    return;
  }
  const one = inline(item);
  if (one !== undefined) {
    out.push(`${indent}- ${one || "{}"}`);
    return;
  }
  const nested: string[] = [];
  lines(item, `${indent}  `, nested);
  // the first field goes on the dash line, like YAML
  const [first, ...rest] = nested;
  out.push(`${indent}- ${(first ?? "").trimStart()}`, ...rest);
}

/** The readable rendering of a tool's data (DigiCert's answer, compacted). */
export function readableData(data: unknown): string {
  const out: string[] = [];
  lines(data as Json, "", out);
  return out.join("\n");
}
