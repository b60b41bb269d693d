/**
 * Markdown helpers for text that comes from the API. Product ids and SANs are data, never markup: they go in
 * code spans with anything that could end the span, break the table or start a new line removed, and are cut
 * to a bounded length.
 */
export function code(value: string | number, max = 80): string {
  let text = String(value)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is being removed
    .replace(/[\u0000-\u001f\u007f`|\\]/g, "")
    .trim();
  if (text.length > max) text = `${text.slice(0, max - 1)}…`;
  return text === "" ? "(empty)" : `\`${text}\``;
}

export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const lines = [`| ${header.join(" | ")} |`, `|${header.map(() => "---").join("|")}|`];
  for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
  return lines.join("\n");
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

export function num(n: number): string {
  return n.toLocaleString("en-US");
}
