// Result size: for typical tool results, the bytes of the text, of structuredContent and of the whole JSON-RPC
// message as the server writes it, beside two floors computed from the same result: the message with
// structuredContent alone (no text: what the data costs at least) and the form the MCP spec suggests for
// backwards compatibility (a text block holding the serialised structuredContent). In-memory server on the
// in-process demo sandbox; the write tools run against fresh sandbox state. o200k tokens for the text.
import { countTokens as o200k } from "gpt-tokenizer/encoding/o200k_base";
import { DEMO, startSandbox } from "../dist/sandbox/index.js";
import { fmt, report, writeResults } from "./lib.mjs";
import { connectInMemory, rawCall } from "./mcp-clients.mjs";

const CALLS = [
  ["get_acme_contract (one contract)", "get_acme_contract", { acme_contract_id: DEMO.contracts.ov }],
  ["list_acme_credentials (one contract)", "list_acme_credentials", { acme_contract_id: DEMO.contracts.ov }],
  ["list_api_keys (demo parent account)", "list_api_keys", {}],
  [
    "list_acme_certificates (one contract)",
    "list_acme_certificates",
    { acme_contract_id: DEMO.contracts.ov },
  ],
  ["get_account_reporting (demo)", "get_account_reporting", {}],
  ["get_emergency_emails", "get_emergency_emails", {}],
  [
    "cancel_acme_contract: confirmation preview",
    "cancel_acme_contract",
    { acme_contract_id: DEMO.contracts.ov },
  ],
  [
    "create_api_key: done, key shown once",
    "create_api_key",
    { account_id: DEMO.subFull, name: "size bench" },
  ],
  ["error: get_acme_contract of an unknown id", "get_acme_contract", { acme_contract_id: 99999 }],
  ["error: invalid arguments", "get_acme_contract", { acme_contract_id: "x" }],
];

const bytes = (s) => Buffer.byteLength(s);
const message = (result) => JSON.stringify({ jsonrpc: "2.0", id: 12, result });

const sandbox = await startSandbox();
const mcp = await connectInMemory(sandbox);
const rows = [];
try {
  for (const [label, tool, args] of CALLS) {
    const r = await rawCall(mcp.client, tool, args);
    const text = r.content.map((c) => (c.type === "text" ? c.text : "")).join("\n");
    const sc = r.structuredContent;
    const { content: _content, ...rest } = r;
    rows.push({
      result: label,
      isError: r.isError === true,
      text_bytes: bytes(text),
      text_o200k: o200k(text),
      structured_bytes: sc === undefined ? 0 : bytes(JSON.stringify(sc)),
      message_bytes: bytes(message(r)),
      floor_structured_only_bytes: sc === undefined ? undefined : bytes(message(rest)),
      spec_form_bytes:
        sc === undefined
          ? undefined
          : bytes(message({ ...rest, content: [{ type: "text", text: JSON.stringify(sc) }] })),
    });
  }
} finally {
  await mcp.close();
  await sandbox.close();
}
const total = (k) => rows.reduce((s, r) => s + (r[k] ?? 0), 0);
report(
  "Result size: text, structuredContent and the whole message (bytes), beside its floors",
  [
    "result",
    "text B",
    "text o200k",
    "structured B",
    "message B",
    "message / text",
    "floor: structured only, B",
    "spec form (text = JSON), B",
    "message / floor",
  ],
  [
    ...rows.map((r) => [
      r.result,
      r.text_bytes,
      r.text_o200k,
      r.structured_bytes,
      r.message_bytes,
      `${fmt(r.message_bytes / r.text_bytes)}x`,
      r.floor_structured_only_bytes ?? "-",
      r.spec_form_bytes ?? "-",
      r.floor_structured_only_bytes ? `${fmt(r.message_bytes / r.floor_structured_only_bytes)}x` : "-",
    ]),
    [
      "all of the above",
      total("text_bytes"),
      total("text_o200k"),
      total("structured_bytes"),
      total("message_bytes"),
      `${fmt(total("message_bytes") / total("text_bytes"))}x`,
      total("floor_structured_only_bytes"),
      total("spec_form_bytes"),
      `${fmt(total("message_bytes") / total("floor_structured_only_bytes"))}x`,
    ],
  ],
);
console.log(`\nresults: ${writeResults("result-size", { results: rows })}`);
