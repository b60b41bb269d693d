import { z } from "zod";
import {
  diffReports,
  expiringContracts,
  findContractsForDomain,
  limitDiff,
  type Reporting,
  type ReportingContract,
  renderSummaryMarkdown,
  type SnapshotMeta,
  statusOf,
  summarizeReport,
} from "../../reporting/index.js";
import { ownerOf } from "../../reporting/model.js";
import type { CallToolResult, McpServer, ResourceLink } from "../../sdk/server.js";
import type { ToolFacts } from "../access.js";
import { annotationsFor } from "../annotations.js";
import { compactInputJsonSchema, compactOutputJsonSchema, withJsonSchema } from "../json-schema.js";
import { schemaJson } from "../precomputed-schemas.js";
import { progressFor } from "../progress.js";
import { type ReportingContext, reasonOf } from "./context.js";
import {
  accountIdIn,
  contractRowOut,
  diffOut,
  domainMatchOut,
  expiringOut,
  limitIn,
  snapshotIdIn,
  snapshotMetaOut,
  summaryOut,
} from "./schemas.js";
import { contractLines, diffText, domainText, expiringText, snapshotLine } from "./tool-text.js";
import { csvUri, diffUri, snapshotUri, summaryUri } from "./uris.js";

/** Input as the agent sees it in tools/list: full structure, minus keywords the server checks anyway. */
export function input<S extends z.ZodRawShape>(tool: string, shape: S) {
  const schema = z.strictObject(shape);
  return withJsonSchema(
    schema,
    schemaJson(`${tool}:input`, () => compactInputJsonSchema(schema)),
  );
}

/**
 * Result schema: validated in full, but tools/list shows only its top-level fields (nested ones are plain
 * "object"), which keeps these five tools near 1,400 tokens of tools/list instead of 4,500.
 */
export function output<S extends z.ZodRawShape>(tool: string, shape: S) {
  const schema = z.object(shape);
  return withJsonSchema(
    schema,
    schemaJson(`${tool}:output`, () => compactOutputJsonSchema(schema, 1)),
  );
}

/**
 * Every reporting tool reads DigiCert and writes only the local snapshot store: read-only and idempotent under
 * the one rule of annotationsFor (a repeated snapshot only moves the check time unless DigiCert changed).
 */
const read = (title: string) => annotationsFor({ effect: "read", idempotent: true, title });
const SAN_PREVIEW = 5;

/** What the access policy knows of every tool this file registers. */
export function reportingTool(name: string): ToolFacts {
  return { name, toolset: "reporting", effect: "read" };
}

/** Links to the snapshot's resources, none for a caller they are not offered to (they would not read). */
function snapshotLinks(ctx: ReportingContext, meta: SnapshotMeta): ResourceLink[] {
  if (!ctx.offersReportingResources) return [];
  return [
    {
      type: "resource_link",
      uri: snapshotUri(meta.id),
      name: `snapshot ${meta.id}`,
      mimeType: "application/json",
    },
    {
      type: "resource_link",
      uri: summaryUri(meta.id),
      name: `summary ${meta.id}`,
      mimeType: "text/markdown",
    },
    { type: "resource_link", uri: csvUri(meta.id), name: `csv ${meta.id}`, mimeType: "text/csv" },
  ];
}

function result(text: string, structured: Record<string, unknown>, links: ResourceLink[]): CallToolResult {
  return { content: [{ type: "text", text }, ...links], structuredContent: structured };
}

/** A tool failure the agent can act on: the reason only (McpError's "MCP error -32002:" prefix is noise here). */
function failure(err: unknown): CallToolResult {
  return {
    content: [{ type: "text", text: reasonOf(err).replace(/^MCP error -?\d+: /, "") }],
    isError: true,
  };
}

function onlyAccount(report: Reporting, accountId: number): Reporting {
  const acme: ReportingContract[] = [];
  for (const account of report.accounts) {
    for (const c of account.acme) if (ownerOf(c, account.account_id) === accountId) acme.push(c);
  }
  return { accounts: acme.length ? [{ account_id: accountId, acme }] : [] };
}

export function registerReportingTools(server: McpServer, ctx: ReportingContext): void {
  const selected = (name: string) => ctx.access.offersTool(reportingTool(name));
  // Registered then removed (before connect, so no list_changed) keeps one typed call per tool.
  // Every result and error passes through the client's scrub, like the catalog tools': an error may echo an
  // argument, and an agent may have pasted a key into one.
  const register: McpServer["registerTool"] = (name, config, cb) => {
    const run = cb as unknown as (...args: unknown[]) => Promise<CallToolResult>;
    const scrubbed = (async (...args: unknown[]) =>
      ctx.deps.client.scrub(await run(...args))) as unknown as typeof cb;
    const tool = server.registerTool(name, config, scrubbed);
    if (!selected(name)) tool.remove();
    return tool;
  };

  register(
    "take_reporting_snapshot",
    {
      title: "Take reporting snapshot",
      description:
        "Fetch ACME reporting now and store it as a snapshot; returns counts and changes since the previous one.",
      inputSchema: input("take_reporting_snapshot", {}),
      outputSchema: output("take_reporting_snapshot", {
        snapshot: snapshotMetaOut,
        created: z.boolean(),
        previous_id: z.string().nullable(),
        changes: diffOut.shape.counts.nullable(),
      }),
      annotations: read("Take reporting snapshot"),
    },
    async (_args, extra) => {
      try {
        const progress = progressFor(extra);
        const recorded = await ctx.take(progress);
        const previous = recorded.created ? recorded.previous : await ctx.store.previous(recorded.meta.id);
        let changes: ReturnType<typeof diffReports>["counts"] | null = null;
        if (recorded.created && previous) {
          progress?.step(`compare: changes since ${previous.id}`);
          const [a, b] = await Promise.all([ctx.store.read(previous.id), ctx.store.read(recorded.meta.id)]);
          if (a && b) changes = diffReports(a.report, b.report).counts;
        }
        const links = snapshotLinks(ctx, recorded.meta);
        if (changes && previous && ctx.offersReportingResources) {
          links.push({
            type: "resource_link",
            uri: diffUri(previous.id, recorded.meta.id),
            name: `diff ${previous.id}..${recorded.meta.id}`,
            mimeType: "application/json",
          });
        }
        const text = `${snapshotLine(recorded.meta)}; ${recorded.created ? "new snapshot" : "unchanged since it was taken"}${
          changes ? `. Since ${previous?.id}: ${diffText(changes)}` : ""
        }`;
        return result(
          text,
          { snapshot: recorded.meta, created: recorded.created, previous_id: previous?.id ?? null, changes },
          links,
        );
      } catch (err) {
        return failure(err);
      }
    },
  );

  register(
    "reporting_summary",
    {
      title: "Reporting summary",
      description:
        "Summary of a reporting snapshot: totals, per product and subaccount, expiring, canceled; with account_id, one subaccount and its contracts.",
      inputSchema: input("reporting_summary", {
        snapshot_id: snapshotIdIn,
        account_id: accountIdIn.optional(),
        limit: limitIn(200, 50).describe("max contracts listed with account_id"),
      }),
      outputSchema: output("reporting_summary", {
        snapshot: snapshotMetaOut,
        account_id: z.number().int().optional(),
        summary: summaryOut,
        contracts: z.array(contractRowOut).optional(),
        contracts_total: z.number().optional(),
        truncated: z.boolean().optional(),
        refresh_error: z.string().optional(),
      }),
      annotations: read("Reporting summary"),
    },
    async ({ snapshot_id, account_id, limit }, extra) => {
      try {
        const snapshot = await ctx.snapshot(snapshot_id ?? "latest", progressFor(extra));
        const at = Date.parse(snapshot.meta.taken_at);
        const links = snapshotLinks(ctx, snapshot.meta);
        if (account_id === undefined) {
          const previous = await ctx.previousOf(snapshot.meta);
          const summary = summarizeReport(snapshot.report, { nowMs: at, previous: previous?.report });
          const text = renderSummaryMarkdown(summary, {
            snapshot_id: snapshot.meta.id,
            taken_at: snapshot.meta.taken_at,
            previous_id: previous?.meta.id,
          });
          return result(
            text,
            { snapshot: snapshot.meta, summary, refresh_error: snapshot.refresh_error },
            links,
          );
        }
        const report = onlyAccount(snapshot.report, account_id);
        const summary = summarizeReport(report, { nowMs: at });
        const all = report.accounts[0]?.acme ?? [];
        const contracts = all.slice(0, limit).map((c) => ({
          acme_contract_id: c.acme_contract_id,
          account_id,
          product_name_id: c.product_name_id,
          status: statusOf(c, at),
          valid_till: c.valid_till,
          date_canceled: c.date_canceled,
          san_count: c.sans.length,
          sans: c.sans.slice(0, SAN_PREVIEW),
        }));
        const truncated = all.length > contracts.length;
        const text =
          all.length === 0
            ? `Subaccount ${account_id} has no ACME contracts in snapshot ${snapshot.meta.id} (the report omits subaccounts without contracts).`
            : `${renderSummaryMarkdown(summary, { snapshot_id: snapshot.meta.id, taken_at: snapshot.meta.taken_at })}\n## Contracts of subaccount ${account_id}\n${contractLines(contracts)}${
                truncated
                  ? `\n(${all.length - contracts.length} more: raise limit or read the CSV resource)`
                  : ""
              }`;
        return result(
          text,
          {
            snapshot: snapshot.meta,
            account_id,
            summary,
            contracts,
            contracts_total: all.length,
            truncated,
            refresh_error: snapshot.refresh_error,
          },
          links,
        );
      } catch (err) {
        return failure(err);
      }
    },
  );

  register(
    "compare_reporting_snapshots",
    {
      title: "Compare reporting snapshots",
      description: "What changed between two snapshots: contracts added, removed, canceled; SANs; expiry.",
      inputSchema: input("compare_reporting_snapshots", {
        from_id: snapshotIdIn.describe("older snapshot id; default the one before to_id"),
        to_id: snapshotIdIn,
        limit: limitIn(100, 20).describe("max items per list"),
      }),
      outputSchema: output("compare_reporting_snapshots", {
        from: snapshotMetaOut.nullable(),
        to: snapshotMetaOut,
        diff: diffOut.nullable(),
        note: z.string().optional(),
      }),
      annotations: read("Compare reporting snapshots"),
    },
    async ({ from_id, to_id, limit }, extra) => {
      try {
        const to = await ctx.snapshot(to_id ?? "latest", progressFor(extra));
        const from = from_id ? await ctx.snapshot(from_id) : await ctx.previousOf(to.meta);
        if (!from) {
          const note = `Only one snapshot (${to.meta.id}) is stored; take another later to compare.`;
          return result(note, { from: null, to: to.meta, diff: null, note }, snapshotLinks(ctx, to.meta));
        }
        const full = diffReports(from.report, to.report);
        const diff = limitDiff(full, limit);
        const shortSans = <T extends { sans: string[] }>(c: T) => ({
          ...c,
          sans: c.sans.slice(0, SAN_PREVIEW),
          san_count: c.sans.length,
        });
        const compact = { ...diff, added: diff.added.map(shortSans), removed: diff.removed.map(shortSans) };
        const link: ResourceLink = {
          type: "resource_link",
          uri: diffUri(from.meta.id, to.meta.id),
          name: `diff ${from.meta.id}..${to.meta.id}`,
          mimeType: "application/json",
          description: "the full diff",
        };
        const text = `${from.meta.id} → ${to.meta.id}: ${full.unchanged ? "no changes" : diffText(full.counts)}${
          diff.truncated ? ` (lists cut to ${limit}; full diff in the linked resource)` : ""
        }`;
        return result(text, { from: from.meta, to: to.meta, diff: compact }, [
          ...(ctx.offersReportingResources ? [link] : []),
          ...snapshotLinks(ctx, to.meta),
        ]);
      } catch (err) {
        return failure(err);
      }
    },
  );

  register(
    "find_contracts_for_domain",
    {
      title: "Find contracts covering a domain",
      description:
        "ACME contracts, across all subaccounts, covering a domain: exact SAN or a one-label *.parent wildcard.",
      inputSchema: input("find_contracts_for_domain", {
        domain: z.string().min(1).max(300).describe("e.g. shop.example.com"),
        snapshot_id: snapshotIdIn,
        include_canceled: z.boolean().default(true),
        limit: limitIn(200, 50),
      }),
      outputSchema: output("find_contracts_for_domain", {
        snapshot_id: z.string(),
        domain: z.string(),
        total: z.number(),
        matches: z.array(domainMatchOut),
        truncated: z.boolean(),
      }),
      annotations: read("Find contracts covering a domain"),
    },
    async ({ domain, snapshot_id, include_canceled, limit }, extra) => {
      try {
        const snapshot = await ctx.snapshot(snapshot_id ?? "latest", progressFor(extra));
        const coverage = findContractsForDomain(snapshot.report, domain, ctx.now());
        const all = include_canceled
          ? coverage.matches
          : coverage.matches.filter((m) => m.status !== "canceled");
        const matches = all.slice(0, limit);
        const truncated = all.length > matches.length;
        return result(
          domainText(coverage.domain, matches, all.length, snapshot.meta.id),
          { snapshot_id: snapshot.meta.id, domain: coverage.domain, total: all.length, matches, truncated },
          snapshotLinks(ctx, snapshot.meta),
        );
      } catch (err) {
        return failure(err);
      }
    },
  );

  register(
    "list_expiring_contracts",
    {
      title: "List expiring contracts",
      description: "Contracts (not canceled) whose valid_till is within N days from now, soonest first.",
      inputSchema: input("list_expiring_contracts", {
        days: z.number().int().min(1).max(3650).default(30),
        account_id: accountIdIn.optional(),
        snapshot_id: snapshotIdIn,
        offset: z.number().int().min(0).default(0),
        limit: limitIn(200, 50),
      }),
      outputSchema: output("list_expiring_contracts", {
        snapshot_id: z.string(),
        as_of: z.string(),
        days: z.number(),
        total: z.number(),
        offset: z.number(),
        contracts: z.array(expiringOut),
        next_offset: z.number().optional(),
      }),
      annotations: read("List expiring contracts"),
    },
    async ({ days, account_id, snapshot_id, offset, limit }, extra) => {
      try {
        const snapshot = await ctx.snapshot(snapshot_id ?? "latest", progressFor(extra));
        const nowMs = ctx.now();
        const all = expiringContracts(snapshot.report, { days, nowMs, accountId: account_id });
        const contracts = all.slice(offset, offset + limit);
        const next = offset + contracts.length < all.length ? offset + contracts.length : undefined;
        return result(
          expiringText(contracts, all.length, days, offset, next),
          {
            snapshot_id: snapshot.meta.id,
            as_of: new Date(nowMs).toISOString(),
            days,
            total: all.length,
            offset,
            contracts,
            ...(next === undefined ? {} : { next_offset: next }),
          },
          snapshotLinks(ctx, snapshot.meta),
        );
      } catch (err) {
        return failure(err);
      }
    },
  );
}
