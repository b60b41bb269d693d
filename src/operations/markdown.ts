import { API_PREFIX, OPERATIONS, TOOLSET_INFO } from "./index.js";
import type { KeyScope, Operation } from "./types.js";

const SCOPE_TEXT: Record<KeyScope, string> = {
  parent: "parent",
  subaccount: "subaccount",
  any: "parent or subaccount",
  "any+devkey": "parent or subaccount + CertCentral",
  devkey: "CertCentral",
};

function confirmation(op: Operation): string {
  if (!op.confirm) return "";
  return op.confirm.whenText ? `only ${op.confirm.whenText}` : "always";
}

/** The README's table of catalog tools, generated so that it cannot drift from the catalog. */
export function operationsMarkdown(): string {
  const rows = OPERATIONS.map((op) => {
    const path = `${op.api === "certcentral" ? API_PREFIX.certcentral : ""}${op.path}`;
    return `| \`${op.name}\` | ${op.toolset} | \`${op.method} ${path}\` | ${SCOPE_TEXT[op.scope]} | ${op.effect} | ${confirmation(op)} |`;
  });
  const toolsets = TOOLSET_INFO.map((t) => `| ${t.name} | ${t.description} |`);
  return [
    "| Tool | Toolset | DigiCert call | Key | Effect | Confirmation |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows,
    "",
    "| Toolset | Tools for |",
    "| --- | --- |",
    ...toolsets,
  ].join("\n");
}
