import type { Dispatcher } from "undici";
import { errorCode } from "../client/retry.js";
import { API_PREFIX } from "../operations/index.js";
import type { Finding, OriginReport } from "./types.js";

export type Env = Readonly<Record<string, string | undefined>>;

/** A clock further off than this makes expiry dates and TLS checks unreliable. */
const CLOCK_SKEW_S = 300;
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|DEPTH_ZERO|ERR_TLS|ERR_SSL|EPROTO/;

/** The proxy variable undici's EnvHttpProxyAgent uses for this origin (lower case first, as it does). */
export function proxyFor(url: URL, env: Env): OriginReport["proxy"] {
  const pick = (...names: string[]) => names.find((n) => env[n]);
  const variable =
    url.protocol === "https:"
      ? (pick("https_proxy", "HTTPS_PROXY") ?? pick("http_proxy", "HTTP_PROXY"))
      : pick("http_proxy", "HTTP_PROXY");
  if (!variable) return null;
  let host = "(not a URL)";
  try {
    // only host and port: a proxy URL may carry a user and password
    const proxy = new URL(env[variable] as string);
    host = proxy.port ? `${proxy.hostname}:${proxy.port}` : proxy.hostname;
  } catch {}
  return { variable, host, no_proxy: Boolean(env.no_proxy ?? env.NO_PROXY) };
}

function statusFinding(status: number, proxy: OriginReport["proxy"]): Finding {
  if (status === 401 || status === 403) {
    return {
      level: "ok",
      text: `the Partner API answered ${status} to a request without a key, as it should`,
    };
  }
  if (status === 407) {
    return {
      level: "attention",
      text: `the proxy in ${proxy?.variable ?? "the environment"} asks for authentication (407): put its user and password in that URL`,
    };
  }
  if (status === 404) {
    return {
      level: "attention",
      text: "the origin answered 404 on the Partner API's path: DIGICERT_BASE_URL must be the origin only (scheme, host, port), without a path",
    };
  }
  if (status >= 500) return { level: "attention", text: `the origin answered ${status}: try again later` };
  return { level: "info", text: `a request without a key was answered ${status} (401 was expected)` };
}

function failureFinding(err: unknown, url: URL, proxy: OriginReport["proxy"]): Finding {
  const code = errorCode(err) ?? (err instanceof Error ? err.name : "error");
  if (TLS_CODES.test(code)) {
    return {
      level: "attention",
      text: `TLS failed (${code}): the certificate of ${url.host} is not trusted here. Behind a TLS-inspecting proxy, point NODE_EXTRA_CA_CERTS at its CA certificate`,
    };
  }
  const via = proxy ? ` through the proxy in ${proxy.variable} (${proxy.host})` : "";
  return { level: "attention", text: `could not reach ${url.host}${via} (${code})` };
}

/**
 * One GET without any key to the Partner API: whether the origin is reached (through the proxy the environment
 * names), whether TLS is verified, and how far DigiCert's clock (the Date header) is from this machine's.
 */
export async function probeOrigin(
  baseUrl: string,
  dispatcher: Dispatcher,
  options: { env: Env; totalMs: number; now?: () => number },
): Promise<OriginReport> {
  const { request } = await import("undici");
  const now = options.now ?? Date.now;
  const url = new URL(baseUrl);
  const proxy = proxyFor(url, options.env);
  const https = url.protocol === "https:";
  const report: OriginReport = {
    url: url.origin,
    reached: false,
    proxy,
    tls: https ? "failed" : "not used",
    findings: [],
  };
  if (!https && !/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/.test(url.hostname)) {
    report.findings.push({
      level: "attention",
      text: `${url.origin} is plain http: the API keys travel unencrypted; use https`,
    });
  }
  const started = now();
  try {
    const res = await request(`${url.origin}${API_PREFIX.partner}/api-key`, {
      method: "GET",
      headers: { accept: "application/json", "user-agent": "digicert-partner-mcp doctor" },
      dispatcher,
      signal: AbortSignal.timeout(options.totalMs),
    });
    await res.body.dump();
    const ended = now();
    report.reached = true;
    report.status = res.statusCode;
    report.findings.push(statusFinding(res.statusCode, proxy));
    if (https) report.tls = options.env.NODE_TLS_REJECT_UNAUTHORIZED === "0" ? "not verified" : "verified";
    if (report.tls === "not verified") {
      report.findings.push({
        level: "attention",
        text: "NODE_TLS_REJECT_UNAUTHORIZED=0 turns off certificate checks: anyone on the path could read the keys",
      });
    }
    const date = res.headers.date;
    const server = Date.parse(Array.isArray(date) ? (date[0] ?? "") : (date ?? ""));
    if (Number.isFinite(server)) {
      const offset = Math.round((server - (started + ended) / 2) / 1000);
      report.clock_offset_s = offset;
      if (Math.abs(offset) > CLOCK_SKEW_S) {
        report.findings.push({
          level: "attention",
          text: `this machine's clock is ${Math.abs(offset)} s ${offset > 0 ? "behind" : "ahead of"} DigiCert's: expiry dates and TLS checks depend on it`,
        });
      }
    }
  } catch (err) {
    report.findings.push(failureFinding(err, url, proxy));
  }
  return report;
}
