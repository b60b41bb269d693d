// Runs the sandbox emulator in its own process, so the benchmark process's event loop does not serve it.
// Prints one JSON line {url, keys} on stdout once listening; exits when stdin closes (the parent went away).
// Usage: node bench/sandbox-proc.mjs [SUBACCOUNTSxCONTRACTS]
import { startSandbox } from "../dist/sandbox/index.js";

const spec = process.argv[2];
const m = spec ? /^(\d+)x(\d+)$/.exec(spec) : null;
const generate = m ? { subaccounts: Number(m[1]), contractsPerSubaccount: Number(m[2]) } : undefined;
const sandbox = await startSandbox(generate ? { generate } : {});
process.stdout.write(`${JSON.stringify({ url: sandbox.url, keys: sandbox.keys })}\n`);

const stop = () => {
  void sandbox.close().finally(() => process.exit(0));
};
process.stdin.on("end", stop);
process.stdin.on("close", stop);
process.stdin.resume();
process.on("SIGTERM", stop);
