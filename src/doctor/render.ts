import type { ShapePath } from "../client/answer.js";
import type { DoctorReport, Finding, ReadReport } from "./types.js";

const MARK: Record<Finding["level"], string> = { ok: "ok", attention: "!!", info: "--" };
const MAX_LISTED = 12;
const KEY_NAME: Record<ReadReport["key"], string> = {
  parent: "parent key",
  subaccount: "subaccount key",
  devkey: "CertCentral key",
  none: "no key",
};

function finding(f: Finding): string {
  return `  ${MARK[f.level]}  ${f.text}`;
}

function listed(paths: ShapePath[]): string {
  const shown = paths
    .slice(0, MAX_LISTED)
    .map((p) => (p.types.length ? `${p.path} (${p.types.join("|")})` : p.path));
  return shown.join(", ") + (paths.length > MAX_LISTED ? `, and ${paths.length - MAX_LISTED} more` : "");
}

/** One read: what came back and, for an answer, how its fields compare with what the code expects. */
function readLines(read: ReadReport): string[] {
  const head = `${read.operation} with the ${KEY_NAME[read.key]}`;
  if (!read.shape) {
    return [`  --  ${head}: ${read.status === undefined ? "no answer" : `answered ${read.status}`}`];
  }
  const paths = read.shape.paths;
  const by = (status: ShapePath["status"]) => paths.filter((p) => p.status === status);
  const match = by("match").filter((p) => p.path !== "(answer)").length;
  const mark = read.drift ? "!!" : "ok";
  if (read.shape.body !== "json")
    return [`  ${mark}  ${head}: ${read.status}, the answer is ${read.shape.body}`];
  const lines = [`  ${mark}  ${head}: ${read.status}, ${match} field(s) as expected`];
  for (const [status, label] of [
    ["missing", "missing"],
    ["other type", "of another type"],
    ["extra", "not expected"],
    ["absent", "absent (optional)"],
    ["unchecked", "taken as they come"],
  ] as const) {
    const these = by(status);
    if (these.length) lines.push(`        ${label}: ${listed(these)}`);
  }
  return lines;
}

/** The readable report printed by `doctor` (and returned by check_setup). */
export function renderReport(report: DoctorReport): string {
  const o = report.origin;
  const lines = [`digicert-partner-mcp ${report.version} doctor: GET requests only`, "", `Origin ${o.url}`];
  const proxy = o.proxy
    ? `through the proxy in ${o.proxy.variable} (${o.proxy.host})${o.proxy.no_proxy ? ", unless NO_PROXY matches" : ""}`
    : "direct (no proxy variable set)";
  lines.push(`  --  ${o.reached ? "reached" : "not reached"}, ${proxy}; TLS: ${o.tls}`);
  if (o.clock_offset_s !== undefined) {
    const off = o.clock_offset_s;
    const how = off === 0 ? "in step with" : `${Math.abs(off)} s ${off > 0 ? "ahead of" : "behind"}`;
    lines.push(`  --  clock: DigiCert's (its Date header) is ${how} this machine's`);
  }
  lines.push(...o.findings.map(finding));
  for (const profile of [...new Set(report.keys.map((k) => k.profile))]) {
    lines.push("", `Keys (profile ${profile})`);
    for (const key of report.keys.filter((k) => k.profile === profile))
      lines.push(...key.findings.map(finding));
  }
  if (report.keys.length === 0) lines.push("", "Keys", "  !!  no DigiCert key is configured");
  lines.push("", "Answers (field paths and JSON types only, compared with what this server expects)");
  if (report.reads.length === 0) lines.push("  --  none");
  for (const read of report.reads) lines.push(...readLines(read));
  lines.push("");
  if (report.attention.length === 0) lines.push("All is well: no finding needs attention.");
  else {
    lines.push(`Needs attention (${report.attention.length}):`);
    for (const text of report.attention) lines.push(`  - ${text}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Only the answers' redacted shapes: operation, key role, status, field paths, JSON types, list-length buckets.
 * No origin, no setting, no account, no value: safe to attach to a bug report.
 */
export function shapeReport(report: DoctorReport): Record<string, unknown> {
  return {
    format: "digicert-partner-mcp shape report 1",
    version: report.version,
    reads: report.reads.map((r) => ({
      operation: r.operation,
      key: r.key,
      status: r.status ?? null,
      ...(r.drift ? { drift: r.drift } : {}),
      ...(r.shape ? { body: r.shape.body, paths: r.shape.paths } : {}),
    })),
  };
}
