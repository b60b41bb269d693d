import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO, DEMO_KEYS, type Sandbox, startSandbox } from "../../sandbox/index.js";
import { type AuditLine, AuditLog } from "../../src/audit/log.js";
import type { ToolCallRecord } from "../../src/mcp/index.js";
import { type Harness, startHarness, structured, textOf } from "./harness.js";

const OV = DEMO.contracts.ov;
const DV = DEMO.contracts.dv;
const HTTP_TOKEN = "audit-test-http-token-0123456789abcdef";

describe("onToolCall and the audit log", () => {
  let sandbox: Sandbox;
  let dir: string;
  let path: string;
  let audit: AuditLog;
  const records: ToolCallRecord[] = [];
  const harnesses: Harness[] = [];
  const secrets = [...Object.values(DEMO_KEYS), HTTP_TOKEN];

  async function harness(mode: "required" | "disabled" = "required", elicit?: boolean): Promise<Harness> {
    const h = await startHarness({
      sandbox,
      sessionId: "5e55101d-aaaa-bbbb-cccc-000000000000",
      server: {
        confirmation: { mode, secret: "x".repeat(32) },
        onToolCall: (call) => {
          records.push(call);
          audit.record(call, { token: "team-a", profile: "default", transport: "http" });
        },
      },
      ...(elicit ? { elicit: () => ({ action: "accept" as const, content: { confirm: true } }) } : {}),
    });
    harnesses.push(h);
    return h;
  }

  const lines = (): AuditLine[] =>
    readFileSync(path, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as AuditLine);

  beforeAll(async () => {
    sandbox = await startSandbox();
    dir = mkdtempSync(join(tmpdir(), "audit-test-"));
  });
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.close();
    audit?.close();
    records.length = 0;
    sandbox.reset();
  });
  afterAll(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function openAudit(name: string): void {
    path = join(dir, `${name}.jsonl`);
    const opened = AuditLog.open({ kind: "file", path }, { secrets });
    if (!opened) throw new Error("audit log not opened");
    audit = opened;
  }

  it("records a write with its targets, the caller and outcome; reads are reported but not audited", async () => {
    openAudit("write");
    const h = await harness();
    await h.call("get_acme_contract", { acme_contract_id: DV });
    const r = await h.call("add_sans", { acme_contract_id: DV, sans: ["audit-new.example.com"] });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(records.map((c) => c.tool)).toEqual(["get_acme_contract", "add_sans"]);
    const [line] = lines();
    expect(lines()).toHaveLength(1);
    expect(line).toMatchObject({
      type: "audit",
      token: "team-a",
      profile: "default",
      transport: "http",
      session: "5e55101d",
      tool: "add_sans",
      effect: "write",
      targets: { acme_contract_id: DV },
      confirmation: "not_required",
      outcome: "ok",
    });
    expect(Date.parse(line?.time ?? "")).not.toBeNaN();
    // the SAN (free text) is not in the line
    expect(JSON.stringify(line)).not.toContain("audit-new.example.com");
  });

  it("records a destructive call's preview, then its confirmed run", async () => {
    openAudit("destructive");
    const h = await harness();
    const args = { acme_contract_id: OV, account_id: DEMO.subFull };
    const preview = await h.call("cancel_acme_contract", args);
    const token = structured(preview).confirmation_token as string;
    expect(token).toBeTruthy();
    const done = await h.call("cancel_acme_contract", { ...args, confirmation_token: token });
    expect(done.isError, textOf(done)).toBeFalsy();
    const again = await h.call("cancel_acme_contract", { ...args, confirmation_token: token });
    expect(again.isError).toBe(true);
    expect(lines().map((l) => [l.confirmation, l.outcome])).toEqual([
      ["preview_only", "not_executed"],
      ["token", "ok"],
      ["token", "error:confirmation_refused"],
    ]);
    for (const l of lines()) {
      expect(l.targets).toEqual({ acme_contract_id: OV, account_id: DEMO.subFull });
      expect(l.effect).toBe("destructive");
    }
    // the confirmation token is not kept either
    expect(readFileSync(path, "utf8")).not.toContain(token);
  });

  it("records elicitation and operator-disabled confirmation", async () => {
    openAudit("how");
    const asked = await harness("required", true);
    const r1 = await asked.call("remove_sans", { acme_contract_id: OV, sans: ["www.example.com"] });
    expect(r1.isError, textOf(r1)).toBeFalsy();
    const off = await harness("disabled");
    await off.call("add_sans", { acme_contract_id: DV, sans: ["gone.example.com"] });
    const r2 = await off.call("remove_sans", { acme_contract_id: DV, sans: ["gone.example.com"] });
    expect(r2.isError, textOf(r2)).toBeFalsy();
    expect(lines().map((l) => [l.tool, l.confirmation, l.outcome])).toEqual([
      ["remove_sans", "elicitation", "ok"],
      ["add_sans", "not_required", "ok"],
      ["remove_sans", "disabled", "ok"],
    ]);
  });

  it("records errors: DigiCert's status, a missing key, invalid arguments", async () => {
    openAudit("errors");
    const h = await harness();
    await h.call("add_sans", { acme_contract_id: 999_999, sans: ["x.example.com"] });
    await h.call("add_sans", { acme_contract_id: DV, account_id: 4242, sans: ["x.example.com"] });
    await h.call("add_sans", { acme_contract_id: DV, sans: "not-a-list" });
    expect(lines().map((l) => [l.outcome, l.confirmation])).toEqual([
      ["error:404", "not_required"],
      ["error:config", "not_required"],
      ["error:invalid_arguments", null],
    ]);
    expect(lines()[0]?.status).toBe(404);
  });

  it("never holds a key or token, even pasted into arguments", async () => {
    openAudit("secrets");
    const h = await harness();
    await h.call("add_sans", { acme_contract_id: DV, sans: [DEMO_KEYS.parent, HTTP_TOKEN] });
    await h.call("set_api_key_status", { api_key_id: DEMO_KEYS.subFull, status: "inactive" });
    await h.call("create_api_key", { account_id: DEMO.subEmpty, name: HTTP_TOKEN });
    await h.call("revoke_acme_credential", {
      acme_contract_id: DEMO.contracts.withCertificates,
      credential_id: DEMO.credentials.active,
      account_id: DEMO.subCerts,
    });
    const text = readFileSync(path, "utf8");
    expect(lines().length).toBe(4);
    for (const s of secrets) expect(text).not.toContain(s);
    // a string where an id belongs is dropped, not copied
    expect(lines()[1]?.targets).toEqual({});
    expect(lines()[3]?.targets).toEqual({
      acme_contract_id: DEMO.contracts.withCertificates,
      credential_id: DEMO.credentials.active,
      account_id: DEMO.subCerts,
    });
  });

  it("is off when told so, and a failing sink does not fail the call", async () => {
    expect(AuditLog.open({ kind: "off" }, { secrets })).toBeUndefined();
    const h = await startHarness({
      sandbox,
      server: {
        onToolCall: () => {
          throw new Error("disk full");
        },
      },
    });
    harnesses.push(h);
    const r = await h.call("add_sans", { acme_contract_id: DV, sans: ["y.example.com"] });
    expect(r.isError, textOf(r)).toBeFalsy();
    expect(h.logs.join("")).toContain("onToolCall failed");
    openAudit("unused");
  });
});
