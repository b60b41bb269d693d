#!/usr/bin/env node
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { DigiCertClient } from "./client/client.js";
import type { Credentials } from "./client/credentials.js";
import { type Config, ConfigError, helpText, loadConfig, parseArgv } from "./config/index.js";
import { createLogger, type Logger } from "./logging.js";
import type { ToolSelection } from "./mcp/select.js";
import type { RunningTransport } from "./transports/types.js";
import { PACKAGE_NAME, packageVersion } from "./version.js";

/** Exit codes: 0 done, 1 failure while running, 2 configuration or usage error. */
const EXIT_USAGE = 2;
const SHUTDOWN_TIMEOUT_MS = 10_000;

function say(text: string): void {
  process.stderr.write(`${PACKAGE_NAME}: ${text}\n`);
}

interface Sandbox {
  url: string;
  credentials: Credentials;
  close(): Promise<void>;
}

async function startInProcessSandbox(): Promise<Sandbox> {
  // Loaded only when used: a run against DigiCert never loads the emulator.
  const { startSandbox } = await import("../sandbox/index.js");
  const sandbox = await startSandbox();
  const keys = sandbox.keys;
  const subaccountKeys: Record<string, string> = {};
  for (const [id, key] of Object.entries(keys.subaccounts)) subaccountKeys[id] = key;
  const ids = Object.keys(subaccountKeys)
    .map(Number)
    .sort((a, b) => a - b);
  const first = ids[0];
  return {
    url: sandbox.url,
    credentials: {
      parentKey: keys.parent,
      // the lowest subaccount is the default, so ACME tools work without account_id
      subaccountKey: first === undefined ? undefined : subaccountKeys[String(first)],
      subaccountKeys,
      devkey: keys.devkey,
    },
    close: () => sandbox.close(),
  };
}

/**
 * Lists the tools of a server with every tool on (which also proves tools/list works before serving anyone), and
 * refuses names in DIGICERT_TOOLS / DIGICERT_EXCLUDE_TOOLS that match no tool: a misspelt exclusion would
 * otherwise leave on a tool the operator meant to hide.
 */
async function checkToolNames(
  config: Config,
  createAll: () => McpServer,
  unknownNames: (selection: ToolSelection, extra: readonly string[]) => string[],
): Promise<void> {
  const server = createAll();
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: `${PACKAGE_NAME}-startup-check`, version: "0" });
  try {
    await client.connect(clientSide);
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    const unknown = unknownNames(config, names);
    if (unknown.length > 0) {
      throw new ConfigError(
        `unknown tool name(s) in DIGICERT_TOOLS / DIGICERT_EXCLUDE_TOOLS: ${unknown.join(", ")}. Known: ${names.join(", ")}`,
      );
    }
  } finally {
    await client.close();
    await server.close();
  }
}

async function serve(config: Config, version: string): Promise<number> {
  // Loaded here, not at the top, so --help and --version stay fast and independent of the tool modules.
  const { createMcpServer, unknownSelectionNames, ConfirmationTokens, DEFAULT_CONFIRMATION_TTL_MS } =
    await import("./mcp/index.js");
  let sandbox: Sandbox | undefined;
  if (config.sandbox) {
    sandbox = await startInProcessSandbox();
    const why =
      config.sandbox === "forced"
        ? "--sandbox is set"
        : "no DigiCert key is configured (DIGICERT_PARTNER_API_KEY, DIGICERT_SUBACCOUNT_API_KEY, DIGICERT_SUBACCOUNT_API_KEYS, DIGICERT_DEVKEY)";
    say(
      `${why}: using the built-in sandbox at ${sandbox.url} with its demo keys. ` +
        "Its data is made up and lives in memory; nothing is sent to DigiCert.",
    );
  }
  const credentials = sandbox ? sandbox.credentials : config.credentials;
  const baseUrl = sandbox ? sandbox.url : config.baseUrl;
  const secrets = [...config.secrets];
  for (const s of [credentials.parentKey, credentials.subaccountKey, credentials.devkey])
    if (s) secrets.push(s);
  secrets.push(...Object.values(credentials.subaccountKeys ?? {}));
  const logger: Logger = createLogger({ level: config.logLevel, secrets });
  for (const warning of config.warnings) logger.warn(warning);

  const client = new DigiCertClient({ baseUrl, credentials, timeouts: config.timeouts, logger });
  // Reporting snapshots: one store for every session. The sandbox's data is made up and its origin changes on
  // each run, so unless a directory is configured its snapshots go to a temporary directory removed on exit.
  const { registerReporting } = await import("./mcp/reporting/index.js");
  const { SnapshotStore } = await import("./reporting/index.js");
  const tempDataDir =
    sandbox && !config.dataDir ? await mkdtemp(join(tmpdir(), `${PACKAGE_NAME}-sandbox-`)) : undefined;
  const store = new SnapshotStore({
    origin: client.baseUrl,
    accountKey: credentials.parentKey,
    dataDir: tempDataDir ?? config.dataDir,
    logger,
  });
  // One registry of used confirmation tokens for the whole process: every HTTP session (and, stateless, every
  // request) gets its own McpServer, and a token must not work again on the next one.
  const confirmationTokens =
    config.confirmation.mode === "disabled"
      ? undefined
      : new ConfirmationTokens({
          secret: config.confirmation.secret,
          ttlMs: config.confirmation.ttlMs ?? DEFAULT_CONFIRMATION_TTL_MS,
          now: Date.now,
        });
  const createServer = (selection: ToolSelection = config) =>
    createMcpServer({
      client,
      logger,
      version,
      readOnly: selection.readOnly,
      toolsets: selection.toolsets,
      tools: selection.tools,
      excludeTools: selection.excludeTools,
      confirmation: {
        mode: config.confirmation.mode,
        secret: config.confirmation.secret,
        ttlMs: config.confirmation.ttlMs,
      },
      confirmationTokens,
      extend: (server, context) =>
        registerReporting(server, {
          client,
          logger,
          store,
          hasDevkey: Boolean(credentials.devkey),
          isToolSelected: context.isToolSelected,
        }),
    });

  const cleanup = async (): Promise<void> => {
    await client.close().catch(() => undefined);
    await sandbox?.close().catch(() => undefined);
    if (tempDataDir) await rm(tempDataDir, { recursive: true, force: true }).catch(() => undefined);
  };

  let running: RunningTransport;
  try {
    await checkToolNames(config, () => createServer({}), unknownSelectionNames);
    // Only the chosen transport is loaded: Streamable HTTP pulls in the SDK's HTTP server and @hono/node-server.
    if (config.transport === "http") {
      const { startHttpServer } = await import("./transports/http.js");
      running = await startHttpServer(config.http, { createServer, logger, version });
    } else {
      const { serveStdio } = await import("./transports/stdio.js");
      running = await serveStdio({ createServer, logger, version });
    }
  } catch (err) {
    await cleanup();
    throw err;
  }
  logger.info(
    {
      version,
      transport: config.transport,
      target: sandbox ? "sandbox" : (baseUrl ?? "https://www.digicert.com"),
      readOnly: config.readOnly,
      confirmation: config.confirmation.mode,
    },
    "started",
  );

  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (code: number) => {
      if (stopping) return;
      stopping = true;
      const force = setTimeout(() => {
        logger.error("shutdown took too long: exiting");
        resolve(1);
      }, SHUTDOWN_TIMEOUT_MS);
      force.unref();
      void running
        .close()
        .then(cleanup)
        .then(() => {
          clearTimeout(force);
          resolve(code);
        });
    };
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) {
        // a second Ctrl-C: do not wait any longer
        resolve(130);
        return;
      }
      logger.info({ signal }, "shutting down");
      stop(0);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    void running.closed.then(() => stop(0));
  });
}

export async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const version = packageVersion();
  try {
    const args = parseArgv(argv);
    switch (args.command) {
      case "help":
        process.stdout.write(helpText(version));
        return 0;
      case "version":
        process.stdout.write(`${version}\n`);
        return 0;
      case "sandbox": {
        const { runSandboxCli, CliUsageError } = await import("../sandbox/cli.js");
        try {
          await runSandboxCli(args.rest);
          return 0;
        } catch (err) {
          if (err instanceof CliUsageError) {
            say(err.message);
            return EXIT_USAGE;
          }
          throw err;
        }
      }
      case "serve":
        return await serve(loadConfig(env, argv), version);
    }
  } catch (err) {
    if (err instanceof ConfigError) {
      say(`${err.message}\n(see --help)`);
      return EXIT_USAGE;
    }
    say(`failed to start: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}

const code = await main(process.argv.slice(2), process.env);
// Let pending stderr writes (pino is asynchronous) drain before exiting.
process.stderr.write("", () => process.exit(code));
