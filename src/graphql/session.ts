import { toGraphQLError } from './errors.js';
import type { GraphQLContext, Session } from './context.js';
import { appError } from '../domain/result.js';

/**
 * The session of a field that scope-auth already let through. Scope-auth is the gate; this is the
 * second lock, so a field that forgot its scopes fails closed instead of running anonymously.
 */
export function session(ctx: GraphQLContext): Session {
  if (!ctx.session) throw toGraphQLError(ctx.authError ?? appError('UNAUTHENTICATED', 'authenticate first: send Authorization: Bearer <token>'));
  return ctx.session;
}
