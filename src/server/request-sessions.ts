import type { Result } from '../domain/result.js';
import type { Registry } from '../registry.js';
import { bearerTokenOf, openSession, type RequestSession } from './request-session.js';

/** No token was sent: an anonymous request. */
export const ANONYMOUS = 'anonymous' as const;

/**
 * The session of each GraphQL request, opened once: the body guards need it before the body is read
 * (only a verified token lifts the anonymous body cap, and only an uploader's multipart body is read),
 * and the context reuses it, so the token is spent once per request.
 */
export class RequestSessions {
  private readonly opened = new WeakMap<Request, Promise<Result<RequestSession> | typeof ANONYMOUS>>();

  constructor(private readonly registry: Registry) {}

  of(request: Request): Promise<Result<RequestSession> | typeof ANONYMOUS> {
    let session = this.opened.get(request);
    if (!session) {
      const token = bearerTokenOf(request.headers);
      session = token === undefined ? Promise.resolve(ANONYMOUS) : openSession(this.registry, token);
      this.opened.set(request, session);
    }
    return session;
  }
}
