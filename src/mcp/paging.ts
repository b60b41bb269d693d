/**
 * Tools whose answer is one list that can grow without bound get `offset`/`limit` arguments in the MCP layer
 * only; DigiCert's list endpoints take no paging parameters (spec §1.1), so the page is cut here.
 */
const PAGED: Record<string, { field: string; defaultLimit: number }> = {
  list_api_keys: { field: "api_keys", defaultLimit: 50 },
  list_acme_certificates: { field: "certificates", defaultLimit: 50 },
  list_acme_credentials: { field: "credentials", defaultLimit: 50 },
  get_account_reporting: { field: "accounts", defaultLimit: 20 },
};

export function pagedField(tool: string): { field: string; defaultLimit: number } | undefined {
  return PAGED[tool];
}

export interface Page {
  offset: number;
  limit: number;
}
