import type { App } from "@modelcontextprotocol/ext-apps";

// What the page reads from this server's tools: the fields it shows, as the tools' output schemas declare them
// (src/mcp/apps/contracts-view.ts, src/mcp/reporting/schemas.ts). Everything comes through the host (tools/call
// over the bridge), so the server's tool selection decides what the page may see.

export interface Group {
  contracts: number;
  active: number;
  sans: number;
}

export interface Windows {
  within_30_days: number;
  within_60_days: number;
  within_90_days: number;
}

type Products = ({ product_name_id: string } & Group)[];

/** reporting_summary's summary, for one subaccount */
export interface SubaccountSummary {
  totals: Overview["totals"];
  expiring: Windows;
  by_product: Products;
}

export interface Overview {
  snapshot: { id: string; taken_at: string };
  as_of: string;
  totals: { subaccounts: number; contracts: number; active: number; expired: number; canceled: number };
  expiring: Windows & { by_week: { from_day: number; to_day: number; contracts: number }[] };
  subaccounts: { top: ({ account_id: number } & Group)[]; other: { subaccounts: number } & Group };
  products: { top: Products; other: { products: number } & Group };
  refresh_error?: string;
}

/** A contract row as the lists show it; `match` and `san` only from a domain search. */
export interface Row {
  acme_contract_id: number;
  account_id: number;
  product_name_id: string;
  valid_till: string;
  days_left?: number;
  status?: string;
  san_count?: number;
  sans?: string[];
  san?: string;
  match?: "exact" | "wildcard";
}

export interface Page {
  rows: Row[];
  total: number;
  next?: number;
}

/** A tool's error as the server words it (the text content), so the page can show why. */
export class ToolError extends Error {}

export class Server {
  constructor(private readonly app: App) {}

  async call<T>(name: string, args: Record<string, unknown>): Promise<T> {
    const result = await this.app.callServerTool({ name, arguments: args });
    if (result.isError || !result.structuredContent) {
      const text = result.content
        ?.map((c) => (c.type === "text" ? c.text : ""))
        .join(" ")
        .trim();
      throw new ToolError(text || `${name} failed`);
    }
    return result.structuredContent as T;
  }

  overview(): Promise<Overview> {
    return this.call<Overview>("view_contracts", {});
  }

  async expiring(days: number, offset: number, limit: number, accountId?: number): Promise<Page> {
    const r = await this.call<{ total: number; contracts: Row[]; next_offset?: number }>(
      "list_expiring_contracts",
      {
        days,
        offset,
        limit,
        ...(accountId === undefined ? {} : { account_id: accountId }),
      },
    );
    return { rows: r.contracts, total: r.total, next: r.next_offset };
  }

  async domain(domain: string, limit: number): Promise<Page & { domain: string }> {
    const r = await this.call<{ domain: string; total: number; matches: Row[] }>(
      "find_contracts_for_domain",
      {
        domain,
        limit,
      },
    );
    return { rows: r.matches, total: r.total, domain: r.domain };
  }

  async subaccount(accountId: number): Promise<SubaccountSummary> {
    const r = await this.call<{ summary: SubaccountSummary }>("reporting_summary", {
      account_id: accountId,
      limit: 1,
    });
    return r.summary;
  }

  /** The live contract (get_acme_contract): DigiCert's answer as sent, in `data`. */
  async contract(id: number, accountId: number): Promise<Record<string, unknown>> {
    const r = await this.call<{ data?: unknown }>("get_acme_contract", {
      acme_contract_id: id,
      account_id: accountId,
    });
    return r.data && typeof r.data === "object" ? (r.data as Record<string, unknown>) : {};
  }
}
