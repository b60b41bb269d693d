import type { ApiKey, Reporting } from "../schemas/entities.js";
import type { Outcome, Reads } from "./reads.js";
import type { Finding, KeyReport, KeySource } from "./types.js";

/** What the parent keys' reporting showed: a contract of each subaccount that has one, by profile. */
export class ContractsSeen {
  private readonly byProfile = new Map<string, Map<number, number>>();

  add(profile: string, report: Reporting): void {
    let map = this.byProfile.get(profile);
    if (!map) {
      map = new Map();
      this.byProfile.set(profile, map);
    }
    for (const account of report.accounts) {
      const first = account.acme[0];
      if (first && !map.has(account.account_id)) map.set(account.account_id, first.acme_contract_id);
    }
  }

  /** a contract of this subaccount, from the same profile's reporting first */
  contractOf(profile: string, account: number): number | undefined {
    const own = this.byProfile.get(profile)?.get(account);
    if (own !== undefined) return own;
    for (const map of this.byProfile.values()) if (map.has(account)) return map.get(account);
    return undefined;
  }

  /** the subaccounts reporting lists, the same profile's first */
  accounts(profile: string): number[] {
    const own = [...(this.byProfile.get(profile)?.keys() ?? [])];
    const rest = [...this.byProfile.entries()]
      .filter(([p]) => p !== profile)
      .flatMap(([, m]) => [...m.keys()]);
    return [...own, ...rest];
  }
}

const ok = (text: string): Finding => ({ level: "ok", text });
const attention = (text: string): Finding => ({ level: "attention", text });
const info = (text: string): Finding => ({ level: "info", text });

function refusedText(setting: string, outcome: Outcome): string {
  return `${setting}: DigiCert does not accept this key (${outcome.status}: unknown or inactive key); check or replace it`;
}

/** The key's own entry in the key list: matched by its last four characters, which DigiCert shows. */
function ownEntry(source: KeySource, outcome: Outcome): { account_id: number; status?: string } | undefined {
  if (!outcome.ok || outcome.drift) return undefined;
  const keys = (outcome.data as { api_keys: ApiKey[] }).api_keys;
  const last4 = source.key.slice(-4);
  const matching = keys.filter((k) => k.api_key_last4 === last4);
  if (matching.length === 1) return matching[0];
  // a subaccount key lists only its own account's keys
  const accounts = new Set(keys.map((k) => k.account_id));
  const [only] = accounts;
  return accounts.size === 1 && only !== undefined ? { account_id: only } : undefined;
}

function kindOf(reporting: Outcome): KeyReport["kind"] {
  if (reporting.ok) return "parent";
  return reporting.status === 403 ? "subaccount" : undefined;
}

/** Which account the key belongs to, parent or subaccount: reporting answers a parent key and refuses the rest. */
export async function identifyKey(source: KeySource, reads: Reads, seen: ContractsSeen): Promise<KeyReport> {
  const report: KeyReport = {
    profile: source.profile,
    setting: source.setting,
    configured_as: source.role,
    ...(source.account === undefined ? {} : { configured_account: source.account }),
    findings: [],
  };
  const reporting = await reads.get(source, "get_account_reporting");
  if (reporting.status === 401) {
    report.accepted = false;
    report.findings.push(attention(refusedText(source.setting, reporting)));
    return report;
  }
  report.kind = kindOf(reporting);
  if (reporting.ok && !reporting.drift) seen.add(source.profile, reporting.data as Reporting);
  if (!report.kind && !reporting.ok) {
    report.findings.push(attention(`${source.setting}: reporting could not be read (${reporting.message})`));
  }
  const list = await reads.get(source, "list_api_keys");
  if (list.status === 401) {
    report.accepted = false;
    report.findings.push(attention(refusedText(source.setting, list)));
    return report;
  }
  report.accepted = list.ok || report.kind !== undefined ? true : undefined;
  const entry = ownEntry(source, list);
  if (entry) {
    report.account_id = entry.account_id;
    if (entry.status) report.key_status = entry.status;
  } else if (list.ok) {
    report.findings.push(
      info(
        `${source.setting}: the key list did not tell which account this key belongs to (see its answer's shape)`,
      ),
    );
  } else {
    report.findings.push(attention(`${source.setting}: the key list could not be read (${list.message})`));
  }
  report.findings.push(placement(source, report));
  return report;
}

/** Whether what DigiCert showed matches where the key is configured. */
function placement(source: KeySource, report: KeyReport): Finding {
  const of = report.account_id === undefined ? "" : ` of account ${report.account_id}`;
  const s = source.setting;
  if (report.kind === "subaccount" && source.role === "parent") {
    return attention(
      `${s} holds a subaccount key${of}: DigiCert refuses it on the parent-only operations (reporting, create_subaccount, create_api_key); configure it as a subaccount key`,
    );
  }
  if (report.kind === "parent" && source.role === "subaccount") {
    return attention(
      `${s} holds a parent-account key${of}: DigiCert refuses it on ACME contracts; configure a subaccount's key here`,
    );
  }
  if (
    source.account !== undefined &&
    report.account_id !== undefined &&
    report.account_id !== source.account
  ) {
    return attention(`${s} is the key of account ${report.account_id}, not of subaccount ${source.account}`);
  }
  if (!report.kind) return info(`${s}: could not tell whether this is a parent or a subaccount key`);
  const status = report.key_status ? ` (${report.key_status})` : "";
  return ok(
    `${s}: ${report.kind === "parent" ? "parent-account" : "subaccount"} key${of}${status}, as configured`,
  );
}

/** A subaccount key against a contract that reporting lists under its account: it must be able to read it. */
export async function checkContract(
  source: KeySource,
  report: KeyReport,
  reads: Reads,
  seen: ContractsSeen,
): Promise<number | undefined> {
  const account = report.account_id ?? source.account;
  if (report.kind !== "subaccount" || account === undefined) return undefined;
  const contract = seen.contractOf(source.profile, account);
  if (contract === undefined) {
    report.findings.push(
      info(
        `${source.setting}: no contract checked (no parent key's reporting lists one for account ${account})`,
      ),
    );
    return undefined;
  }
  const read = await reads.get(source, "get_acme_contract", { acme_contract_id: contract });
  if (read.ok) {
    report.findings.push(
      ok(`${source.setting}: reads contract ${contract}, which reporting lists under account ${account}`),
    );
    return contract;
  }
  report.findings.push(
    attention(
      `${source.setting}: cannot read contract ${contract}, which reporting lists under account ${account} (${read.status ?? read.message}): it is not that subaccount's key`,
    ),
  );
  return undefined;
}

/** The CertCentral key against the cost report of one subaccount. */
export async function checkDevkey(
  source: KeySource,
  account: number | undefined,
  reads: Reads,
): Promise<KeyReport> {
  const report: KeyReport = {
    profile: source.profile,
    setting: source.setting,
    configured_as: "devkey",
    findings: [],
  };
  if (account === undefined) {
    report.findings.push(
      info(`${source.setting}: not checked (no subaccount id is known to ask its cost report)`),
    );
    return report;
  }
  const cost = await reads.get(source, "get_subaccount_cost_report", { subaccount_id: account });
  report.account_id = account;
  if (cost.ok) {
    report.accepted = true;
    report.findings.push(ok(`${source.setting}: reads the cost report of subaccount ${account}`));
  } else if (cost.status === 401 || cost.status === 403) {
    report.accepted = false;
    report.findings.push(
      attention(
        `${source.setting}: CertCentral does not accept this key (${cost.status}); check or replace it`,
      ),
    );
  } else if (cost.status === 404) {
    report.accepted = true;
    report.findings.push(
      attention(
        `${source.setting}: CertCentral knows no subaccount ${account} under this key's account: the billing account may not be linked (link_billing_account), or CertCentral's subaccount ids differ`,
      ),
    );
  } else {
    report.findings.push(attention(`${source.setting}: the cost report could not be read (${cost.message})`));
  }
  return report;
}
