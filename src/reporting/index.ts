// Reporting: snapshots of GET /account/reporting and what can be computed from them. No MCP knowledge here.
export { canonicalJson, canonicalText, sha256Hex } from "./canonical.js";
export { CSV_COLUMNS, csvCell, csvLines, toCsv } from "./csv.js";
export { type ContractBrief, diffReports, limitDiff, type ReportDiff, type SansChange } from "./diff.js";
export { comparableName, type DomainCoverage, type DomainMatch, findContractsForDomain } from "./domain.js";
export { type ExpiringContract, type ExpiringOptions, expiringContracts } from "./expiring.js";
export { defaultDataDir, writeFileAtomic } from "./files.js";
export {
  type ContractStatus,
  countReport,
  isSnapshotId,
  normaliseReport,
  type Reporting,
  type ReportingContract,
  type Snapshot,
  type SnapshotCounts,
  type SnapshotMeta,
  snapshotId,
  statusOf,
} from "./model.js";
export { PgSnapshotStore, type PgSnapshotStoreOptions, SNAPSHOT_CHANNEL } from "./pg-store.js";
export {
  accountIds,
  accountReport,
  type DomainPage,
  type DomainQuery,
  domainPage,
  type ExpiringPage,
  type ExpiringQuery,
  expiringPage,
  type SnapshotDiff,
  type SnapshotSummary,
  snapshotDiff,
  snapshotSummary,
} from "./queries.js";
export {
  DEFAULT_RETENTION,
  FileSnapshotStore,
  type RecordResult,
  type RetentionPolicy,
  SnapshotStore,
  type SnapshotStoreOptions,
  type StoreListener,
  storeScope,
} from "./store.js";
export { type ReportSummary, type SummaryOptions, summarizeReport } from "./summary.js";
export { renderSummaryMarkdown, type SummaryHeading } from "./summary-markdown.js";
