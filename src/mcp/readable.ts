/**
 * A tool result's data as text a person can read in a transcript, with nothing left out: one `key: value` line
 * per field, a list of records as one line per record, nested objects indented. A list of records that all have
 * the same fields names them once, in its heading, and gives each record as its values in that order (a table):
 * repeating every field name on every line made a list's text larger than its JSON (issue 16). The same data is in
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

/**
 * A list of at least two records with the same fields in the same order, each value a scalar or a list of
 * scalars and each row short enough for one line: the field names (for the heading) and one row per record.
 */
function table(list: unknown[]): { fields: string; rows: string[] } | undefined {
  const first = list[0];
  if (list.length < 2 || !isRecord(first)) return undefined;
  const keys = Object.keys(first);
  if (keys.length === 0) return undefined;
  const rows: string[] = [];
  for (const item of list) {
    if (!isRecord(item)) return undefined;
    const own = Object.keys(item);
    if (own.length !== keys.length || own.some((k, i) => k !== keys[i])) return undefined;
    const cells: string[] = [];
    for (const k of keys) {
      const v = item[k];
      if (isScalar(v)) cells.push(scalar(v));
      else if (Array.isArray(v) && v.every(isScalar)) cells.push(`[${v.map(scalar).join(", ")}]`);
      else return undefined;
    }
    const row = cells.join(", ");
    if (row.length > ONE_LINE_CHARS) return undefined;
    rows.push(row);
  }
  return { fields: keys.map(key).join(", "), rows };
}

/** "api_keys (6; fields id, name, status):" then "- 5001, "Main key", "active"" per record. */
function tableLines(
  heading: string,
  t: { fields: string; rows: string[] },
  indent: string,
  out: string[],
): void {
  out.push(`${indent}${heading}(${t.rows.length}; fields ${t.fields}):`);
  for (const row of t.rows) out.push(`${indent}- ${row}`);
}

function lines(value: unknown, indent: string, out: string[]): void {
  if (Array.isArray(value)) {
    const t = table(value);
    if (t) tableLines("", t, indent, out);
    else for (const item of value) listItem(item, indent, out);
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
    const t = table(value);
    if (t) {
      tableLines(`${key(name)} `, t, indent, out);
      return;
    }
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
