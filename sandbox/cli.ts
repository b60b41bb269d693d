import { API_PREFIX } from "../src/operations/index.js";
import { ANSWER_VARIANTS, isAnswerVariant } from "./answers.js";
import { type Sandbox, type SandboxOptions, startSandbox } from "./index.js";

export const SANDBOX_USAGE = `Usage: digicert-partner-mcp sandbox [--port N] [--host H] [--seed demo|empty] [--generate SUBACCOUNTSxCONTRACTS] [--answers VARIANT]

Runs a local emulator of DigiCert's Partner Subscriptions API (and the CertCentral subaccount report).
  --port N          port to listen on (default 8089; 0 = any free port)
  --host H          interface to bind (default 127.0.0.1)
  --seed NAME       demo (default) or empty
  --generate AxB    add A generated subaccounts with B contracts each, e.g. 10000x10
  --answers V       form of the answers DigiCert does not document: ${ANSWER_VARIANTS.join(", ")}
                    (default guess; also PUT /_sandbox/answers {"variant": V})
Stop with Ctrl-C.`;

export const DEFAULT_CLI_PORT = 8089;

export class CliUsageError extends Error {}

function integer(flag: string, value: string | undefined, min: number, max: number): number {
  if (value === undefined || !/^\d+$/.test(value)) throw new CliUsageError(`${flag} needs a whole number`);
  const n = Number(value);
  if (n < min || n > max) throw new CliUsageError(`${flag} must be between ${min} and ${max}`);
  return n;
}

/** Parses the sandbox command's flags; `--flag value` and `--flag=value` both work. */
export function parseSandboxArgs(argv: readonly string[]): SandboxOptions & { help?: boolean } {
  const options: SandboxOptions & { help?: boolean } = { port: DEFAULT_CLI_PORT };
  const args = argv[0] === "sandbox" ? argv.slice(1) : [...argv];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.indexOf("=");
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = () => {
      if (inline !== undefined) return inline;
      i++;
      return args[i];
    };
    switch (flag) {
      case "--help":
      case "-h":
        options.help = true;
        break;
      case "--port":
        options.port = integer("--port", value(), 0, 65_535);
        break;
      case "--host": {
        const host = value();
        if (!host) throw new CliUsageError("--host needs a value");
        options.host = host;
        break;
      }
      case "--seed": {
        const seed = value();
        if (seed !== "demo" && seed !== "empty") throw new CliUsageError("--seed must be demo or empty");
        options.seed = seed;
        break;
      }
      case "--generate": {
        const m = /^(\d+)x(\d+)$/i.exec(value() ?? "");
        if (!m) throw new CliUsageError("--generate needs SUBACCOUNTSxCONTRACTS, e.g. 10000x10");
        options.generate = {
          subaccounts: integer("--generate subaccounts", m[1], 0, 1_000_000),
          contractsPerSubaccount: integer("--generate contracts", m[2], 0, 1_000),
        };
        break;
      }
      case "--answers": {
        const variant = value();
        if (!isAnswerVariant(variant)) {
          throw new CliUsageError(`--answers must be one of ${ANSWER_VARIANTS.join(", ")}`);
        }
        options.answers = variant;
        break;
      }
      default:
        throw new CliUsageError(`unknown argument ${arg}\n\n${SANDBOX_USAGE}`);
    }
  }
  return options;
}

/** The banner: where the sandbox listens, its keys, the environment for the MCP server, and one request to try. */
export function banner(sandbox: Sandbox): string {
  const base = sandbox.url + API_PREFIX.partner;
  const k = sandbox.keys;
  const rows: [string, string][] = [
    ["base URL", sandbox.url],
    ["Partner API", base],
    ["parent key", k.parent],
  ];
  for (const [id, key] of Object.entries(k.subaccounts)) rows.push([`subaccount ${id} key`, key]);
  rows.push(["CertCentral devkey", k.devkey]);
  if (k.inactive) rows.push(["inactive key (401)", k.inactive]);
  if (k.otherParent) rows.push(["unrelated tenant parent key", k.otherParent]);
  const width = Math.max(...rows.map(([label]) => label.length)) + 2;
  const summary = sandbox.store.summary();
  const subIds = Object.keys(k.subaccounts);
  const env = [`DIGICERT_BASE_URL=${sandbox.url}`, `DIGICERT_PARTNER_API_KEY=${k.parent}`];
  const firstSub = subIds[0];
  if (firstSub !== undefined) env.push(`DIGICERT_SUBACCOUNT_API_KEY=${k.subaccounts[Number(firstSub)]}`);
  if (subIds.length > 1) env.push(`DIGICERT_SUBACCOUNT_API_KEYS='${JSON.stringify(k.subaccounts)}'`);
  env.push(`DIGICERT_DEVKEY=${k.devkey}`);
  const lines = [
    "DigiCert Partner API sandbox (not DigiCert; data is in memory and lost on exit)",
    ...rows.map(([label, value]) => `  ${`${label}:`.padEnd(width)}${value}`),
    `  data: ${summary.accounts} accounts, ${summary.contracts} contracts, ${summary.apiKeys} API keys`,
    "",
    "MCP server against this sandbox:",
    ...env.map((e) => `  ${e}`),
    "",
    "Try:",
    `  curl -H 'X-PARTNER-APIKEY: ${k.parent}' ${base}/account/reporting`,
    "",
    `Controls (loopback only): ${sandbox.url}/_sandbox/{reset,keys,faults,clock,stats}`,
    "Stop with Ctrl-C.",
  ];
  return `${lines.join("\n")}\n`;
}

export interface SandboxCliIo {
  write?: (text: string) => void;
  /** stops the server when aborted (tests); SIGINT/SIGTERM always do */
  signal?: AbortSignal;
  /** called once the server listens */
  onListening?: (sandbox: Sandbox) => void;
}

/** `digicert-partner-mcp sandbox`: runs until SIGINT/SIGTERM (or the abort signal), then closes cleanly. */
export async function runSandboxCli(argv: string[], io: SandboxCliIo = {}): Promise<void> {
  const write = io.write ?? ((text: string) => void process.stdout.write(text));
  const options = parseSandboxArgs(argv);
  if (options.help) {
    write(`${SANDBOX_USAGE}\n`);
    return;
  }
  const started = Date.now();
  const sandbox = await startSandbox(options);
  if (options.generate) write(`generated data in ${Date.now() - started} ms\n`);
  write(banner(sandbox));
  io.onListening?.(sandbox);

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      io.signal?.removeEventListener("abort", stop);
      resolve();
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
    if (io.signal?.aborted) stop();
    else io.signal?.addEventListener("abort", stop, { once: true });
  });
  await sandbox.close();
  write("sandbox stopped\n");
}
