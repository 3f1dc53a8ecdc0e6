/**
 * SCIM errors as values (RFC 7644 §3.12). A service returns a `ScimError`; the routes turn it into the one wire
 * shape. The table below is the set of legal status/scimType pairs: no other combination can be built.
 */
export const SCIM_ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

/** scimType values RFC 7644 Table 9 defines (all with status 400), plus the statuses that carry none. */
export type ScimErrorType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive";

const STATUS_FOR_TYPE: Record<ScimErrorType, 400 | 409> = {
  invalidFilter: 400,
  tooMany: 400,
  // RFC 7644 §3.3: a uniqueness conflict on create or replace is 409 Conflict.
  uniqueness: 409,
  mutability: 400,
  invalidSyntax: 400,
  invalidPath: 400,
  noTarget: 400,
  invalidValue: 400,
  invalidVers: 400,
  sensitive: 400,
};

export type ScimErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 412 | 413 | 415 | 429 | 500 | 501 | 503;

export interface ScimError {
  status: ScimErrorStatus;
  scimType?: ScimErrorType;
  detail: string;
}

export function scimTypeError(scimType: ScimErrorType, detail: string): ScimError {
  return { status: STATUS_FOR_TYPE[scimType], scimType, detail };
}

export function scimStatusError(status: Exclude<ScimErrorStatus, 400 | 409>, detail: string): ScimError {
  return { status, detail };
}

/** The RFC 7644 §3.12 body; `status` is a string in the spec's examples and Okta's validator expects that. */
export function scimErrorBody(error: ScimError): Record<string, unknown> {
  const body: Record<string, unknown> = { schemas: [SCIM_ERROR_SCHEMA], status: String(error.status) };
  if (error.scimType) body.scimType = error.scimType;
  body.detail = error.detail;
  return body;
}

export type ScimResult<T> = { ok: true; value: T } | { ok: false; error: ScimError };

export function ok<T>(value: T): ScimResult<T> {
  return { ok: true, value };
}

export function failed(error: ScimError): { ok: false; error: ScimError } {
  return { ok: false, error };
}
