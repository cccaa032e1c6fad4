/**
 * Expected failures travel as values; exceptions are reserved for the truly unexpected.
 * The codes are the product contract's `extensions.code`s (requirements §6).
 */
export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'DISQUALIFIED'
  | 'UPSTREAM_UNAVAILABLE'
  | 'PAYLOAD_TOO_LARGE'
  | 'QUERY_TOO_COMPLEX'
  /** Too many requests of a kind (logins); `details.retryAfterSeconds` says when to try again. */
  | 'RATE_LIMITED';

export interface AppError {
  readonly code: ErrorCode;
  readonly message: string;
  /** Extra machine-readable detail, merged into the GraphQL error's extensions. */
  readonly details?: Readonly<Record<string, unknown>>;
  /**
   * Context for the server's log only (an internal endpoint, a socket error): the GraphQL edge logs
   * it and never sends it. Clients get `message` and `details`.
   */
  readonly serverDetail?: string;
}

export type Result<T, E = AppError> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E = AppError>(error: E): Result<never, E> => ({ ok: false, error });

export const appError = (code: ErrorCode, message: string, details?: Record<string, unknown>): AppError =>
  details === undefined ? { code, message } : { code, message, details };

/** The same error, with context only the server's log gets. */
export const withServerDetail = (error: AppError, serverDetail: string): AppError => ({ ...error, serverDetail });
