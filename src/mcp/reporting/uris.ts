/** Every URI this feature serves, in one place so resources, tools and prompts agree. */
export const LATEST_URI = "digicert://reporting/latest";
/** alias usable wherever a snapshot id is expected */
export const LATEST_ALIAS = "latest";

export const TEMPLATES = {
  snapshot: "digicert://reporting/snapshots/{snapshot_id}",
  csv: "digicert://reporting/snapshots/{snapshot_id}.csv",
  summary: "digicert://reporting/snapshots/{snapshot_id}/summary",
  diff: "digicert://reporting/diff/{from_id}/{to_id}",
  costReport: "digicert://subaccounts/{subaccount_id}/cost-report",
} as const;

export const snapshotUri = (id: string) => `digicert://reporting/snapshots/${id}`;
export const csvUri = (id: string) => `digicert://reporting/snapshots/${id}.csv`;
export const summaryUri = (id: string) => `digicert://reporting/snapshots/${id}/summary`;
export const diffUri = (from: string, to: string) => `digicert://reporting/diff/${from}/${to}`;
export const costReportUri = (subaccountId: number) => `digicert://subaccounts/${subaccountId}/cost-report`;

/** URIs whose content follows the newest snapshot, so subscribers to them hear about a new one. */
export function followsLatest(uri: string): boolean {
  return uri === LATEST_URI || uri.startsWith(`digicert://reporting/snapshots/${LATEST_ALIAS}`);
}

/** Every URI under digicert://reporting/: the snapshot data of get_account_reporting. */
export function isReportingUri(uri: string): boolean {
  return uri.startsWith("digicert://reporting/");
}

/** digicert://subaccounts/{id}/cost-report: the data of get_subaccount_cost_report. */
export function isCostReportUri(uri: string): boolean {
  return /^digicert:\/\/subaccounts\/[^/]*\/cost-report$/.test(uri);
}
