#!/usr/bin/env node
import { DigiCertClient } from "./client/client.js";
import type { Credentials } from "./client/credentials.js";
import { type Config, ConfigError, helpText, loadConfig, parseArgv } from "./config.js";
import { createLogger, type Logger } from "./logging.js";
import { startHttpServer } from "./transports/http.js";
import { serveStdio } from "./transports/stdio.js";
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

async function serve(config: Config, version: string): Promise<number> {
  // Loaded here, not at the top, so --help and --version stay fast and independent of the tool modules.
  const { createMcpServer } = await import("./mcp/server.js");
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
  const createServer = () =>
    createMcpServer({
      client,
      logger,
      version,
      readOnly: config.readOnly,
      toolsets: config.toolsets,
      tools: config.tools,
      excludeTools: config.excludeTools,
      confirmation: {
        mode: config.confirmation.mode,
        secret: config.confirmation.secret,
        ttlMs: config.confirmation.ttlMs,
      },
    });

  const cleanup = async (): Promise<void> => {
    await client.close().catch(() => undefined);
    await sandbox?.close().catch(() => undefined);
  };

  let running: RunningTransport;
  try {
    // Build one server up front, so a bad tool selection fails at start-up rather than on first use.
    await createServer().close();
    running =
      config.transport === "http"
        ? await startHttpServer(config.http, { createServer, logger, version })
        : await serveStdio({ createServer, logger, version });
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
