/** A configuration problem: the CLI prints the message on stderr and exits with code 2. */
export class ConfigError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

export class TooShortError extends ConfigError {
  constructor(name: string, min: number) {
    super(
      `${name} is too short to be a secret: use at least ${min} random characters, e.g. $(openssl rand -hex 32)`,
    );
  }
}
