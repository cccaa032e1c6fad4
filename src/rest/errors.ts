import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { decodeArtifactGlobalId } from '../domain/global-id.js';
import type { AppError, ErrorCode } from '../domain/result.js';

/**
 * The REST contract's status for each error code (course OpenAPI 3.4.7): a missing or refused
 * token is 403 there (401 is kept for "not allowed to reset"), a gate refusal 424. Client
 * mistakes are 4xx; only a failing Hub or GitHub is 502 (the document's own code for it).
 */
const STATUS_BY_CODE = {
  BAD_USER_INPUT: 400,
  UNAUTHENTICATED: 403,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  DISQUALIFIED: 424,
  UPSTREAM_UNAVAILABLE: 502,
  PAYLOAD_TOO_LARGE: 413,
  QUERY_TOO_COMPLEX: 400,
  RATE_LIMITED: 429,
} as const satisfies Record<ErrorCode, ContentfulStatusCode>;

/** A REST error: the status and the JSON body `{ code, message }` (plus what a client acts on). */
export interface RestError {
  readonly status: ContentfulStatusCode;
  readonly body: { readonly code: string; readonly message: string } & Readonly<Record<string, unknown>>;
}

export const restError = (status: ContentfulStatusCode, code: ErrorCode, message: string, extra: Record<string, unknown> = {}): RestError => ({
  status,
  body: { code, message, ...extra },
});

/**
 * An application error as the REST contract answers it. GraphQL-only details (global ids, the
 * full rating) stay out: REST prints only its own ids, the artifact's ULID.
 */
export function fromAppError(error: AppError): RestError {
  const status = STATUS_BY_CODE[error.code];
  const details = error.details ?? {};
  if (error.code === 'CONFLICT' && typeof details['existingId'] === 'string') {
    const existing = decodeArtifactGlobalId(details['existingId']);
    return restError(status, 'CONFLICT', existing ? `the URL is already registered as artifact ${existing.id}` : 'the URL is already registered', {
      ...(existing && { existing_id: existing.id }),
    });
  }
  if (error.code === 'CONFLICT' && details['currentVersion'] !== undefined) {
    return restError(status, 'CONFLICT', 'the artifact changed while this request ran; read it again and retry');
  }
  if (error.code === 'DISQUALIFIED') {
    const failures = Array.isArray(details['failures']) ? details['failures'] : [];
    return restError(status, 'DISQUALIFIED', error.message, { failures });
  }
  if (error.code === 'RATE_LIMITED') return restError(status, error.code, error.message, { retry_after_seconds: details['retryAfterSeconds'] });
  return restError(status, error.code, error.message);
}

export const tooLarge = (limit: number): RestError => restError(413, 'PAYLOAD_TOO_LARGE', `request body is larger than ${limit} bytes`);

/** Refused token, or none: the contract's 403 for every protected route. */
export const authenticationFailed = (message: string): RestError => restError(403, 'UNAUTHENTICATED', message);
