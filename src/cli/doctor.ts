import { writeFileSync } from "node:fs";
import { DIGICERT_ORIGIN } from "../client/client.js";
import { type Config, ConfigError, type Env, loadConfig } from "../config/index.js";
import { type ProfileKeys, renderReport, runDoctor, shapeReport } from "../doctor/index.js";

interface DoctorArgs {
  json: boolean;
  shapeReport: string | undefined;
  /** everything else: the server's own options (e.g. --base-url), read by loadConfig */
  rest: string[];
}

function parseDoctorArgs(argv: readonly string[]): DoctorArgs {
  const args: DoctorArgs = { json: false, shapeReport: undefined, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--json") args.json = true;
    else if (arg === "--shape-report" || arg.startsWith("--shape-report=")) {
      const file = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : argv[++i];
      if (!file || file.startsWith("--")) throw new ConfigError("--shape-report needs a file name");
      args.shapeReport = file;
    } else args.rest.push(arg);
  }
  return args;
}

/** The key profiles doctor checks: the DIGICERT_* keys ("default") and each of DIGICERT_PROFILES. */
function profilesOf(config: Config): ProfileKeys[] {
  if (config.sandbox === "forced") {
    throw new ConfigError(
      "doctor checks the configured keys, and --sandbox has none: to try doctor on the sandbox, run `digicert-partner-mcp sandbox` and point DIGICERT_BASE_URL and the keys at it",
    );
  }
  const profiles = [
    { name: "default", credentials: config.credentials },
    ...Object.entries(config.profiles).map(([name, credentials]) => ({ name, credentials })),
  ];
  if (config.sandbox === "no-keys" || profiles.every((p) => Object.keys(p.credentials).length === 0)) {
    throw new ConfigError(
      "doctor: no DigiCert key is configured (DIGICERT_PARTNER_API_KEY, DIGICERT_SUBACCOUNT_API_KEY, DIGICERT_SUBACCOUNT_API_KEYS, DIGICERT_DEVKEY or DIGICERT_PROFILES)",
    );
  }
  return profiles;
}

/**
 * `digicert-partner-mcp doctor [--json] [--shape-report FILE] [options]`: the same configuration as the server,
 * GET requests only. Exit 0 when all is well, 1 when something needs attention; a ConfigError (exit 2) otherwise.
 */
export async function doctor(
  argv: readonly string[],
  env: Env,
  version: string,
  out: { write(text: string): unknown } = process.stdout,
): Promise<number> {
  const args = parseDoctorArgs(argv);
  const config = loadConfig(env, args.rest);
  const report = await runDoctor({
    baseUrl: config.baseUrl ?? DIGICERT_ORIGIN,
    profiles: profilesOf(config),
    timeouts: config.timeouts,
    version,
    env,
  });
  if (args.shapeReport) {
    try {
      writeFileSync(args.shapeReport, `${JSON.stringify(shapeReport(report), null, 2)}\n`);
    } catch (err) {
      throw new ConfigError(
        `--shape-report: cannot write ${args.shapeReport} (${(err as NodeJS.ErrnoException).code ?? "error"})`,
      );
    }
  }
  out.write(args.json ? `${JSON.stringify(report, null, 2)}\n` : renderReport(report));
  return report.status === "ok" ? 0 : 1;
}
