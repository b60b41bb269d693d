#!/usr/bin/env node
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Credentials } from "./client/credentials.js";
import { type Config, ConfigError, helpText, loadConfig, loadTokensFile, parseArgv } from "./config/index.js";
import { createLogger, type Logger } from "./logging.js";
import type { ToolSelection } from "./mcp/select.js";
import type { McpServer } from "./sdk/server.js";
import type { RunningTransport, ServerContext } from "./transports/types.js";
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
/** Whether the operator named single tools anywhere (flags, environment, tokens file) that must exist. */
function namesToCheck(config: Config): boolean {
  const named = (s: ToolSelection) => (s.tools?.length ?? 0) + (s.excludeTools?.length ?? 0) > 0;
  return named(config) || (config.http.hashedTokens ?? []).some(named);
}

async function checkToolNames(
  config: Config,
  createAll: () => McpServer,
  unknownNames: (selection: ToolSelection, extra: readonly string[]) => string[],
): Promise<void> {
  // the SDK's client side, loaded only here: a start with no names to check never evaluates it
  const { Client, InMemoryTransport } = await import("./sdk/client.js");
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
    for (const grant of config.http.hashedTokens ?? []) {
      const bad = unknownNames(grant, names);
      if (bad.length > 0) {
        throw new ConfigError(
          `MCP_HTTP_TOKENS_FILE: token "${grant.name}" names unknown tool(s) ${bad.join(", ")}. Known: ${names.join(", ")}`,
        );
      }
    }
  } finally {
    await client.close();
    await server.close();
  }
}

/** DATABASE_URL: the database, opened and migrated, and the shared stores built on it. */
async function openSharedState(url: string, logger: Logger) {
  const { openSharedState: open } = await import("./cli/shared-state.js");
  return open(url, logger);
}

async function serve(config: Config, version: string): Promise<number> {
  // Loaded here, not at the top, so --help and --version stay fast and independent of the tool modules.
  const {
    AuditLog,
    ConfirmationTokens,
    DEFAULT_CONFIRMATION_TTL_MS,
    openProfiles,
    serveStdio,
    serverFactory,
    unknownSelectionNames,
  } = await import("./cli/serve-modules.js");
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

  // Reporting snapshots: one store per key profile, shared by its sessions. The sandbox's data is made up and its
  // origin changes on each run, so unless a directory is configured its snapshots go to a temporary directory
  // removed on exit.
  let audit: ReturnType<typeof AuditLog.open>;
  try {
    audit = AuditLog.open(config.audit, { secrets });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "error";
    const path = config.audit.kind === "file" ? config.audit.path : "";
    throw new ConfigError(`MCP_AUDIT_LOG: cannot open ${path} for appending (${code})`);
  }
  // Shared state (DATABASE_URL): connect and migrate before anything serves, so a replica that cannot reach the
  // database stops at once with a clear message instead of serving half its tools.
  const shared = config.databaseUrl ? await openSharedState(config.databaseUrl, logger) : undefined;
  const tempDataDir =
    sandbox && !config.dataDir ? await mkdtemp(join(tmpdir(), `${PACKAGE_NAME}-sandbox-`)) : undefined;
  const profiles = openProfiles({
    defaultCredentials: credentials,
    profiles: config.profiles,
    baseUrl,
    timeouts: config.timeouts,
    dataDir: tempDataDir ?? config.dataDir,
    logger,
    createStore: shared?.createStore,
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
          ledger: shared?.ledger(config.confirmation.ttlMs ?? DEFAULT_CONFIRMATION_TTL_MS),
        });
  const createServer = serverFactory({
    profiles,
    logger,
    version,
    confirmation: {
      mode: config.confirmation.mode,
      secret: config.confirmation.secret,
      ttlMs: config.confirmation.ttlMs,
      binding: config.confirmation.binding,
    },
    confirmationTokens,
    audit,
    transport: config.transport,
    resultText: config.resultText,
  });
  const forConnection = (context?: ServerContext) => createServer(config, context);

  const cleanup = async (): Promise<void> => {
    stopReloading?.();
    for (const p of profiles.values()) await p.client.close().catch(() => undefined);
    for (const store of new Set([...profiles.values()].map((p) => p.store))) await store.close();
    await shared?.close();
    audit?.close();
    await sandbox?.close().catch(() => undefined);
    if (tempDataDir) await rm(tempDataDir, { recursive: true, force: true }).catch(() => undefined);
  };

  let running: RunningTransport;
  let stopReloading: (() => void) | undefined;
  try {
    // Listing every tool costs a server and a handshake before serving: only when names were given to check.
    if (namesToCheck(config)) await checkToolNames(config, () => createServer({}), unknownSelectionNames);
    // Only the chosen transport is loaded: Streamable HTTP pulls in the SDK's HTTP server and @hono/node-server.
    if (config.transport === "http") {
      const { startHttpServer } = await import("./transports/http.js");
      // Listening for SIGHUP before serving: its default action would stop the server (e.g. `systemctl
      // reload`), with or without a tokens file to reload.
      const { onReloadSignal } = await import("./cli/reload-tokens.js");
      const source = config.http.tokensFile;
      let http: Awaited<ReturnType<typeof startHttpServer>> | undefined;
      stopReloading = onReloadSignal(async () => {
        if (!source) {
          throw new ConfigError(
            "MCP_HTTP_TOKENS_FILE is not set: nothing to reload (MCP_HTTP_TOKEN is read at start; restart to change it)",
          );
        }
        const hashedTokens = loadTokensFile(source);
        const next = { ...config, http: { ...config.http, hashedTokens } };
        if (namesToCheck(next)) await checkToolNames(next, () => createServer({}), unknownSelectionNames);
        if (!http)
          throw new ConfigError("the HTTP server is still starting: send SIGHUP again once it serves");
        return http.replaceFileTokens(hashedTokens);
      }, logger);
      http = await startHttpServer(config.http, {
        createServer: forConnection,
        logger,
        version,
        onRefused: audit ? (refusal) => audit.refused({ ...refusal, transport: "http" }) : undefined,
        rateLimits: shared?.rateLimits,
        health: shared?.health,
      });
      running = http;
    } else {
      running = await serveStdio({ createServer: forConnection, logger, version });
    }
  } catch (err) {
    await cleanup();
    throw err;
  }
  // stdio holds it until the first message was answered (RunningTransport.startupLog)
  const logStarted = () =>
    logger.info(
      {
        version,
        transport: config.transport,
        target: sandbox ? "sandbox" : (baseUrl ?? "https://www.digicert.com"),
        readOnly: config.readOnly,
        confirmation: config.confirmation.mode,
        profiles: [...profiles.keys()],
        audit: config.audit.kind,
        state: shared ? `PostgreSQL ${shared.where}` : "files and memory",
      },
      "started",
    );
  if (running.startupLog) running.startupLog(logStarted);
  else logStarted();

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
      running.flushStartupLog?.();
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
      case "hash-token": {
        const { hashToken } = await import("./cli/hash-token.js");
        return await hashToken(args.rest, process);
      }
      case "doctor": {
        const { doctor } = await import("./cli/doctor.js");
        return await doctor(args.rest, env, version);
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
