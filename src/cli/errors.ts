/**
 * The CLI's failure kinds. Each maps to one exit code in main.ts, so a script driving `gatehouse` can tell
 * "you called me wrong" (2) from "the call failed" (1) without parsing messages.
 */

/** The command line itself is wrong: unknown command or option, missing argument, bad value. Exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The operator API answered with a non-2xx status, or with a body that is not the JSON we expect. Exit code 1. */
export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    message: string,
    /** HTTP status; 0 when the status was fine but the body was unusable. */
    readonly status: number,
    /** The server's snake_case `code`, or one of ours (`http_error`, `invalid_response`) when it sent none. */
    readonly code: string,
  ) {
    super(message);
  }
}

/** No HTTP answer at all: refused, reset, DNS failure or timeout. Exit code 1. */
export class ConnectionError extends Error {
  override readonly name = "ConnectionError";
}

/** A local problem while preparing a request, such as an unreadable --cert-file. Exit code 1. */
export class LocalError extends Error {
  override readonly name = "LocalError";
}
