/** One page of a paged tool's list (see `paging` in the catalog entry): cut by the MCP layer. */
export interface Page {
  offset: number;
  limit: number;
}
