import { driftText } from "../client/answer.js";
import type { Timeouts } from "../client/client.js";
import { DEFAULT_TIMEOUTS } from "../client/client.js";
import { scrubDeep } from "../client/redact.js";
import { ContractsSeen, checkContract, checkDevkey, identifyKey } from "./keys.js";
import { type Env, probeOrigin } from "./origin.js";
import { Reads } from "./reads.js";
import { keySources, type ProfileKeys } from "./sources.js";
import type { DoctorReport, Finding, KeyReport, KeySource } from "./types.js";

export interface DoctorOptions {
  /** DigiCert origin */
  baseUrl: string;
  profiles: readonly ProfileKeys[];
  timeouts?: Partial<Timeouts>;
  version: string;
  /** for the proxy and TLS variables; default process.env */
  env?: Env;
}

/** Reads made only to see their answers' shape: once per profile and kind of key. */
const SHAPE_READS = ["get_account_settings", "get_emergency_emails"] as const;

/**
 * Checks a setup with GET requests only: the origin (proxy, TLS, clock), each configured key (accepted, parent
 * or subaccount, which account, whether that matches where it is configured), the CertCentral key, and the shape
 * of every answer against what the code expects. Never throws for what DigiCert answers.
 */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const { EnvHttpProxyAgent } = await import("undici");
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const dispatcher = new EnvHttpProxyAgent({
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
  });
  const sources = keySources(options.profiles);
  const secrets = [...new Set(sources.map((s) => s.key))];
  try {
    const origin = await probeOrigin(options.baseUrl, dispatcher, {
      env: options.env ?? process.env,
      totalMs: timeouts.totalMs,
    });
    const reads = new Reads({ baseUrl: options.baseUrl, dispatcher, timeouts, secrets });
    const keys = origin.reached ? await checkKeys(sources, reads) : notChecked(sources);
    const report: DoctorReport = {
      status: "ok",
      version: options.version,
      origin,
      keys,
      reads: reads.log,
      attention: [],
      methods: ["GET"],
    };
    report.attention = attentionOf(report);
    report.status = report.attention.length ? "attention" : "ok";
    return scrubDeep(report, secrets);
  } finally {
    await dispatcher.close();
  }
}

async function checkKeys(sources: readonly KeySource[], reads: Reads): Promise<KeyReport[]> {
  const seen = new ContractsSeen();
  const partner = sources.filter((s) => s.role !== "devkey");
  const reports: KeyReport[] = [];
  for (const source of partner) reports.push(await identifyKey(source, reads, seen));
  const shaped = new Set<string>();
  let contractShown = false;
  for (const [i, source] of partner.entries()) {
    const report = reports[i] as KeyReport;
    const contract = await checkContract(source, report, reads, seen);
    if (contract !== undefined && !contractShown) {
      contractShown = true;
      await reads.get(source, "list_acme_credentials", { acme_contract_id: contract });
      await reads.get(source, "list_acme_certificates", { acme_contract_id: contract });
    }
    const kind = `${source.profile}\0${report.kind}`;
    if (report.kind && !shaped.has(kind)) {
      shaped.add(kind);
      for (const name of SHAPE_READS) await reads.get(source, name);
    }
  }
  for (const source of sources.filter((s) => s.role === "devkey")) {
    reports.push(await checkDevkey(source, subaccountFor(source.profile, reports, seen), reads));
  }
  return reports;
}

/** One subaccount to ask the cost report of: reporting's, else a subaccount key's own account. */
function subaccountFor(
  profile: string,
  reports: readonly KeyReport[],
  seen: ContractsSeen,
): number | undefined {
  const fromReporting = seen.accounts(profile)[0];
  if (fromReporting !== undefined) return fromReporting;
  const sub = (r: KeyReport) => r.kind === "subaccount" && r.account_id !== undefined;
  return (reports.find((r) => r.profile === profile && sub(r)) ?? reports.find(sub))?.account_id;
}

function notChecked(sources: readonly KeySource[]): KeyReport[] {
  return sources.map((s) => ({
    profile: s.profile,
    setting: s.setting,
    configured_as: s.role,
    ...(s.account === undefined ? {} : { configured_account: s.account }),
    findings: [{ level: "info", text: `${s.setting}: not checked (the origin was not reached)` } as Finding],
  }));
}

function attentionOf(report: DoctorReport): string[] {
  const out = [...report.origin.findings, ...report.keys.flatMap((k) => k.findings)]
    .filter((f) => f.level === "attention")
    .map((f) => f.text);
  for (const read of report.reads) {
    if (!read.drift) continue;
    out.push(
      `DigiCert's answer to ${read.operation} is not in the form this server expects (${driftText(read.drift)})`,
    );
  }
  return [...new Set(out)];
}
