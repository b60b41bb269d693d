/** The SDK's client side, for the CLI's in-process self-check (see src/sdk/server.ts for why this folder). */
export { Client } from "@modelcontextprotocol/sdk/client/index.js";
export { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
