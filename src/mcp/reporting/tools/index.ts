import { viewContracts } from "../../apps/contracts-view.js";
import type { ComputedTool } from "../../define-tool.js";
import type { ReportingContext } from "../context.js";
import { compareReportingSnapshots } from "./compare.js";
import { listExpiringContracts } from "./expiring.js";
import { findContractsForDomain } from "./find-domain.js";
import { reportingSummary } from "./summary.js";
import { takeReportingSnapshot } from "./take-snapshot.js";

export {
  compareReportingSnapshots,
  findContractsForDomain,
  listExpiringContracts,
  reportingSummary,
  takeReportingSnapshot,
};

/** The reporting extension's tools, in tools/list order (the contracts view first, as it was registered). */
export const REPORTING_TOOLS: readonly ComputedTool<ReportingContext>[] = [
  viewContracts,
  takeReportingSnapshot,
  reportingSummary,
  compareReportingSnapshots,
  findContractsForDomain,
  listExpiringContracts,
];
