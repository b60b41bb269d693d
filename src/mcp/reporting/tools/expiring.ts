import { z } from "zod";
import { defineTool } from "../../define-tool.js";
import { progressFor } from "../../progress.js";
import type { ReportingContext } from "../context.js";
import { accountIdIn, expiringOut, limitIn, snapshotIdIn } from "../schemas.js";
import { expiringText } from "../tool-text.js";
import { result, snapshotLinks } from "./shared.js";

export const listExpiringContracts = defineTool({
  name: "list_expiring_contracts",
  title: "List expiring contracts",
  description: "Contracts (not canceled) whose valid_till is within N days from now, soonest first.",
  toolset: "reporting",
  effect: "read",
  idempotent: true,
  input: {
    days: z.number().int().min(1).max(3650).default(30),
    account_id: accountIdIn.optional(),
    snapshot_id: snapshotIdIn,
    offset: z.number().int().min(0).default(0),
    limit: limitIn(200, 50),
  },
  output: {
    snapshot_id: z.string(),
    as_of: z.string(),
    days: z.number(),
    total: z.number(),
    offset: z.number(),
    contracts: z.array(expiringOut),
    next_offset: z.number().optional(),
  },
  async run({ days, account_id, snapshot_id, offset, limit }, ctx: ReportingContext, extra) {
    const nowMs = ctx.now();
    const { answer: page, ...snapshot } = await ctx.query(
      snapshot_id ?? "latest",
      progressFor(extra),
      (meta) => ctx.store.expiring(meta.id, { days, nowMs, accountId: account_id, offset, limit }),
    );
    const { contracts, total } = page;
    const next = offset + contracts.length < total ? offset + contracts.length : undefined;
    return result(
      expiringText(contracts, total, days, offset, next),
      {
        snapshot_id: snapshot.meta.id,
        as_of: new Date(nowMs).toISOString(),
        days,
        total,
        offset,
        contracts,
        ...(next === undefined ? {} : { next_offset: next }),
      },
      snapshotLinks(ctx, snapshot.meta),
    );
  },
});
