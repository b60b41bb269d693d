/**
 * Error vocabulary of the sandbox. DigiCert documents the statuses but not the Partner API's error body, so the
 * sandbox uses CertCentral's envelope `{"errors":[{"code","message"}]}` with the codes proposed in the spec (§1.3).
 */
export type ErrorCode =
  | "invalid_request"
  | "bad_request_format"
  | "request_too_large"
  | "unauthorized"
  | "access_denied"
  | "not_found"
  | "method_not_allowed"
  | "contract_canceled"
  | "cancellation_window_expired"
  | "san_limit_exceeded"
  | "last_san"
  | "invalid_product"
  | "invalid_email"
  | "last_emergency_email"
  | "no_emergency_emails"
  | "organization_required"
  | "verified_contacts_required"
  | "invalid_setting"
  | "invalid_certcentral_api_key"
  | "rate_limited"
  | "internal_error"
  | "bad_gateway"
  | "service_unavailable"
  | "gateway_timeout";

export interface ErrorItem {
  code: ErrorCode | string;
  message: string;
}

export class ApiError extends Error {
  readonly items: ErrorItem[];

  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
    more: ErrorItem[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.items = [{ code, message }, ...more];
  }

  body(): { errors: ErrorItem[] } {
    return { errors: this.items };
  }
}

export const badRequest = (code: ErrorCode, message: string) => new ApiError(400, code, message);
export const unauthorized = (message: string) => new ApiError(401, "unauthorized", message);
export const forbidden = (message: string) => new ApiError(403, "access_denied", message);
export const notFound = (message: string) => new ApiError(404, "not_found", message);

/** Default error code for a status injected by a fault. */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return "invalid_request";
    case 401:
      return "unauthorized";
    case 403:
      return "access_denied";
    case 404:
      return "not_found";
    case 429:
      return "rate_limited";
    case 502:
      return "bad_gateway";
    case 503:
      return "service_unavailable";
    case 504:
      return "gateway_timeout";
    default:
      return "internal_error";
  }
}
