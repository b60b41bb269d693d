import { ConfigError } from "./errors.js";
import { SECRET_FLAG, secretFlagMessage } from "./secrets.js";
import { type SettingId, settingByFlag } from "./settings.js";

export interface ParsedArgs {
  command: "serve" | "help" | "version" | "sandbox" | "hash-token" | "doctor";
  /** values given on the command line, by setting (switches: "true") */
  values: Partial<Record<SettingId, string>>;
  /** arguments after the `sandbox`, `hash-token` or `doctor` subcommand */
  rest: string[];
}

/** Parses argv (without the node and script paths). Throws ConfigError on anything unknown. */
export function parseArgv(argv: readonly string[]): ParsedArgs {
  const values: Partial<Record<SettingId, string>> = {};
  let command: ParsedArgs["command"] = "serve";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (i === 0 && (arg === "sandbox" || arg === "hash-token" || arg === "doctor"))
      return { command: arg, values, rest: argv.slice(1) };
    if (arg === "-h") {
      command = "help";
      continue;
    }
    if (arg === "-v" || arg === "-V") {
      if (command !== "help") command = "version";
      continue;
    }
    if (!arg.startsWith("--")) {
      if (SECRET_FLAG.test(arg) && arg.startsWith("-")) throw new ConfigError(secretFlagMessage(arg));
      throw new ConfigError(
        arg === "sandbox"
          ? "the `sandbox` subcommand must come first: digicert-partner-mcp sandbox [--port N]"
          : `unexpected argument ${JSON.stringify(arg)}; see --help`,
      );
    }
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const s = settingByFlag(name);
    if (!s) {
      if (SECRET_FLAG.test(name)) throw new ConfigError(secretFlagMessage(name));
      throw new ConfigError(`unknown option ${name}; see --help`);
    }
    if (s.arg) {
      let value: string | undefined;
      if (eq !== -1) value = arg.slice(eq + 1);
      else {
        value = argv[i + 1];
        if (value === undefined || value.startsWith("--"))
          throw new ConfigError(`${name} needs a value (${s.arg})`);
        i++;
      }
      values[s.id] = value;
    } else {
      if (eq !== -1) throw new ConfigError(`${name} takes no value`);
      if (s.id === "help") command = "help";
      else if (s.id === "version") {
        if (command !== "help") command = "version";
      } else values[s.id] = "true";
    }
  }
  return { command, values, rest: [] };
}
