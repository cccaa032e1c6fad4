import type { AppError } from '../domain/result.js';
import type { Registry } from '../registry.js';
import type { RequestSession } from '../server/request-session.js';
import type { DownloadUrlBudget } from './download-budget.js';

/** What an authenticated request works with: its user, that user's epoch, its loaders. */
export type Session = RequestSession;

/** Per-request context. `session` is absent for anonymous callers and refused tokens. */
export interface GraphQLContext {
  readonly registry: Registry;
  /** The connection's peer address (never X-Forwarded-For), when the HTTP layer tells it: login rate limits. */
  readonly clientAddress?: string | undefined;
  readonly session: Session | undefined;
  /** Why a presented token was refused, to tell the caller instead of a bare "unauthenticated". */
  readonly authError: AppError | undefined;
  /** Download URLs this request may still issue (QueryLimits.maxDownloadUrls). */
  readonly downloadUrls: DownloadUrlBudget;
}
