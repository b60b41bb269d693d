import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ANSWER_VARIANTS,
  type AnswerVariant,
  DEMO,
  RESHAPED_OPERATIONS,
  type Sandbox,
  startSandbox,
} from "../../sandbox/index.js";
import { AuditLog } from "../../src/audit/log.js";
import { OPERATIONS, type Operation } from "../../src/operations/index.js";
import { exampleOf } from "../helpers/examples.js";
import { type Harness, startHarness, structured, textOf } from "../mcp/harness.js";

// The sandbox's default answers are guesses the client's expected shapes share. Here every undocumented answer
// comes in other plausible forms, and the whole tool suite runs against each: no completed write is reported as
// failed, every once-shown secret reaches the user exactly once (and never the log or the audit log), and no
// write is sent twice.

const WRITES = new Set<string>(OPERATIONS.filter((op) => op.effect !== "read").map((op) => op.name));
const SHOWN_ONCE = new Set<string>(
  OPERATIONS.filter((op) => (op as Operation).shownOnce !== undefined).map((op) => op.name),
);

interface Run {
  results: { tool: string; result: CallToolResult }[];
  /** secrets the sandbox created during the run, each with the tool that should have shown it */
  secrets: { tool: string; value: string }[];
  logs: string;
  audit: string;
  /** DigiCert requests per operation, as the sandbox counted them */
  requests: Record<string, number>;
  /** confirmed (executed) calls per write tool, as this test made them */
  executed: Record<string, number>;
}

function newestKeySecret(sandbox: Sandbox): string {
  const keys = [...sandbox.store.apiKeys.values()];
  return keys.reduce((a, b) => (b.id > a.id ? b : a)).secret;
}

function newestContractId(sandbox: Sandbox): number {
  return Math.max(...sandbox.store.contracts.keys());
}

function newestHmac(sandbox: Sandbox, contractId: number): string {
  const creds = sandbox.store.contracts.get(contractId)?.credentials ?? [];
  return creds.reduce((a, b) => (b.id > a.id ? b : a)).hmacKey;
}

async function runSuite(variant: AnswerVariant, dir: string): Promise<Run> {
  const sandbox = await startSandbox({ answers: variant });
  const auditPath = join(dir, `${variant}.jsonl`);
  const audit = AuditLog.open({ kind: "file", path: auditPath }, { secrets: [] });
  const h: Harness = await startHarness({
    sandbox,
    server: {
      onToolCall: (call) => audit?.record(call, { token: "t", profile: "default", transport: "stdio" }),
    },
  });
  const run: Run = { results: [], secrets: [], logs: "", audit: "", requests: {}, executed: {} };
  const call = async (tool: string, args: Record<string, unknown> = {}) => {
    const result = await h.call(tool, args);
    run.results.push({ tool, result });
    expect(result.isError, `${variant} ${tool}: ${textOf(result)}`).toBeFalsy();
    return result;
  };
  /** a write: confirmed when the tool asks, and counted as executed once */
  const write = async (tool: string, args: Record<string, unknown>) => {
    let result = await call(tool, args);
    if (structured(result).status === "confirmation_required") {
      result = await call(tool, { ...args, confirmation_token: structured(result).confirmation_token });
    }
    run.executed[tool] = (run.executed[tool] ?? 0) + 1;
    return result;
  };
  const tally = () => {
    for (const op of OPERATIONS)
      run.requests[op.name] = (run.requests[op.name] ?? 0) + sandbox.stats.count(op.name);
  };
  try {
    await call("list_api_keys");
    await call("get_api_key", { api_key_id: DEMO.apiKeys.subFull });
    await write("create_api_key", { account_id: DEMO.subEmpty, name: "variant key" });
    run.secrets.push({ tool: "create_api_key", value: newestKeySecret(sandbox) });
    await write("set_api_key_status", { api_key_id: DEMO.apiKeys.subEmpty, status: "inactive" });

    await write("create_acme_contract", { product_name_id: "ssl_dv_rapidssl", sans: ["v.example.net"] });
    const id = newestContractId(sandbox);
    run.secrets.push({ tool: "create_acme_contract", value: newestHmac(sandbox, id) });
    await call("get_acme_contract", { acme_contract_id: id });
    await write("add_sans", { acme_contract_id: id, sans: ["w.example.net"] });
    await write("remove_sans", { acme_contract_id: id, sans: ["w.example.net"] });
    await write("update_acme_contract", { acme_contract_id: id, auto_renew: true });
    await write("replace_acme_contract", { acme_contract_id: id, auto_renew: true });
    await call("list_acme_credentials", { acme_contract_id: id });
    await write("regenerate_acme_credentials", { acme_contract_id: id, revoke_existing: false });
    run.secrets.push({ tool: "regenerate_acme_credentials", value: newestHmac(sandbox, id) });
    const credentialId = sandbox.store.contracts.get(id)?.credentials[0]?.id;
    await write("revoke_acme_credential", { acme_contract_id: id, credential_id: credentialId });
    await write("revoke_all_acme_credentials", { acme_contract_id: id });
    await call("list_acme_certificates", {
      acme_contract_id: DEMO.contracts.withCertificates,
      account_id: DEMO.subCerts,
    });
    await write("cancel_acme_contract", { acme_contract_id: id });

    await write("create_subaccount", {
      name: "Variant Ltd",
      api_key_name: "first",
      emergency_contact_emails: ["ops@variant.example"],
    });
    run.secrets.push({ tool: "create_subaccount", value: newestKeySecret(sandbox) });
    await write("add_emergency_emails", { emergency_contact_emails: ["more@partner.example"] });
    await call("get_emergency_emails");
    await write("remove_emergency_emails", { emergency_contact_emails: ["more@partner.example"] });
    await call("get_account_settings");
    await write("update_account_setting", { name: "auto_renew_subscription", value: "1" });
    await call("get_account_reporting");
    await call("get_subaccount_cost_report", { subaccount_id: DEMO.subFull });
    await write("link_billing_account", {});

    // Operations the story above does not reach run their example call (declared beside the sandbox handler),
    // each on a fresh seed; requests counted so far are kept across the reset.
    for (const op of OPERATIONS) {
      if (run.results.some((r) => r.tool === op.name)) continue;
      tally();
      sandbox.reset();
      await (op.effect === "read" ? call : write)(op.name, exampleOf(op.name));
    }
  } finally {
    tally();
    await h.close();
    await sandbox.close();
    audit?.close();
    run.logs = h.logs.join("");
    run.audit = readFileSync(auditPath, "utf8");
  }
  return run;
}

describe("the whole tool suite against every form of DigiCert's undocumented answers", () => {
  let dir: string;
  const runs = new Map<AnswerVariant, Run>();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "answer-variants-"));
    for (const variant of ANSWER_VARIANTS) runs.set(variant, await runSuite(variant, dir));
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("covers every catalog tool and every reshaped operation", () => {
    const run = runs.get("guess") as Run;
    expect(new Set(run.results.map((r) => r.tool))).toEqual(new Set(OPERATIONS.map((op) => op.name)));
    for (const name of RESHAPED_OPERATIONS) expect(OPERATIONS.map((op) => op.name)).toContain(name);
  });

  it.each(ANSWER_VARIANTS.filter((v) => v !== "guess"))(
    "%s: the sandbox really answered differently",
    (v) => {
      const run = runs.get(v) as Run;
      if (v === "extra") {
        // fields nobody expects do not make an answer wrong: they come back with the data, as sent
        const reshaped = run.results.filter((r) => RESHAPED_OPERATIONS.includes(r.tool));
        for (const r of reshaped.filter((x) => structured(x.result).status !== "confirmation_required")) {
          expect(JSON.stringify(structured(r.result).data), r.tool).toContain("req-7f3a");
        }
        return;
      }
      const warned = run.results.filter((r) => structured(r.result).warning !== undefined).map((r) => r.tool);
      // most reshaped answers differ from the expected form (some fit its optional fields anyway)
      expect(warned.length, warned.join(",")).toBeGreaterThanOrEqual(6);
    },
  );

  it.each(ANSWER_VARIANTS)("%s: no completed write is reported as failed, and each was sent once", (v) => {
    const run = runs.get(v) as Run;
    for (const { tool, result } of run.results) expect(result.isError, `${tool}`).toBeFalsy();
    for (const [tool, times] of Object.entries(run.executed)) {
      expect(run.requests[tool], `${v} ${tool}`).toBe(times);
    }
    for (const { tool, result } of run.results) {
      const s = structured(result);
      if (!WRITES.has(tool) || s.status === "confirmation_required" || s.warning === undefined) continue;
      // an unexpected answer to a write: applied, and the agent is told not to repeat it
      expect(`${s.summary} ${s.warning}`, `${v} ${tool}`).toMatch(/applied|has been done/i);
      expect(`${s.summary} ${s.warning}`, `${v} ${tool}`).toMatch(/do not repeat/i);
    }
  });

  it.each(ANSWER_VARIANTS)("%s: each once-shown secret reaches the user once, never a log", (v) => {
    const run = runs.get(v) as Run;
    // every operation whose answer carries a secret shown once is in the story above, its secret captured
    expect(new Set(run.secrets.map((x) => x.tool))).toEqual(SHOWN_ONCE);
    for (const { tool, value } of run.secrets) {
      const shown = run.results.filter((r) => JSON.stringify(r.result).includes(value));
      if (v === "empty") {
        // DigiCert said nothing: the result says so, and that the call must not be repeated
        expect(shown, `${v} ${tool}`).toHaveLength(0);
        const done = run.results.filter((r) => r.tool === tool).at(-1)?.result as CallToolResult;
        expect(structured(done).warning, `${v} ${tool}`).toMatch(/cannot be shown.*Do not repeat/);
      } else {
        expect(
          shown.map((r) => r.tool),
          `${v} ${tool}`,
        ).toEqual([tool]);
        const s = structured(shown[0]?.result as CallToolResult);
        expect(s.note, `${v} ${tool}`).toMatch(/^Shown once: .*store it/);
        expect(textOf(shown[0]?.result as CallToolResult)).toContain(value);
      }
      expect(run.logs, `${v} ${tool} in the log`).not.toContain(value);
      expect(run.audit, `${v} ${tool} in the audit log`).not.toContain(value);
    }
    expect(run.audit.split("\n").filter(Boolean).length).toBeGreaterThan(20);
  });

  it.each(ANSWER_VARIANTS.filter((v) => v !== "guess"))(
    "%s: warnings and logs name paths, never values",
    (v) => {
      const run = runs.get(v) as Run;
      const warnLines = run.logs
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { level: number; paths?: string[] })
        .filter((l) => l.level === 40 && l.paths);
      expect(warnLines.length).toBeGreaterThan(0);
      for (const { value } of run.secrets) {
        for (const r of run.results) expect(String(structured(r.result).warning ?? "")).not.toContain(value);
      }
    },
  );
});
