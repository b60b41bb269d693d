import { TOOLSET_INFO } from "../operations/index.js";
import { SETTINGS, type Setting, type SettingGroup } from "./settings.js";

function flagLabel(s: Setting): string | undefined {
  return s.flag ? (s.arg ? `${s.flag} ${s.arg}` : s.flag) : undefined;
}

/** The text of `--help`. */
export function helpText(version: string): string {
  const lines = [
    `digicert-partner-mcp ${version}: MCP server for DigiCert's Partner Subscriptions API`,
    "",
    "Usage:",
    "  digicert-partner-mcp [options]            serve MCP over stdio (default) or HTTP (--http)",
    "  digicert-partner-mcp sandbox [--port N]   run only the local DigiCert API emulator",
    "  digicert-partner-mcp hash-token           read an HTTP token on stdin, print its SHA-256 for",
    "                                            MCP_HTTP_TOKENS_FILE",
    "  digicert-partner-mcp doctor [--json] [--shape-report FILE]",
    "                                            check the configured keys with GET requests only",
    "",
    "With no DigiCert key and no base URL configured, the built-in sandbox is started and used.",
    "Secrets (keys, tokens) are read from the environment only, never from the command line.",
  ];
  const groups: SettingGroup[] = ["DigiCert", "Tools", "Confirmation", "HTTP", "General"];
  for (const group of groups) {
    lines.push("", `${group}:`);
    for (const s of SETTINGS.filter((x) => x.group === group)) {
      const names = [flagLabel(s), s.env ? `${s.env}${s.secret ? " (secret)" : ""}` : undefined]
        .filter(Boolean)
        .join(", ");
      lines.push(`  ${names}`);
      const text = s.description.replaceAll("`", "") + (s.default ? ` Default: ${s.default}.` : "");
      for (const line of wrap(text, 76)) lines.push(`      ${line}`);
    }
  }
  lines.push("", "Toolsets (--toolsets, and toolsets in the tokens file):");
  for (const t of TOOLSET_INFO) lines.push(`  ${t.name.padEnd(10)} ${t.description}`);
  return `${lines.join("\n")}\n`;
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) out.push(line);
  return out;
}

/** The README's configuration table (kept identical by a test). */
export function configurationMarkdown(): string {
  const cell = (s: string): string => s.replaceAll("|", "\\|");
  const rows = SETTINGS.map((s) => {
    const env = s.env ? `\`${s.env}\`${s.secret ? " (secret)" : ""}` : "";
    const f = flagLabel(s);
    return `| ${env} | ${f ? `\`${f}\`` : ""} | ${s.default ? cell(s.default) : ""} | ${cell(s.description)} |`;
  });
  return ["| Environment variable | Flag | Default | Meaning |", "| --- | --- | --- | --- |", ...rows].join(
    "\n",
  );
}
