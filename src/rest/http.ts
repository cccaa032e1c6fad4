import type { Context } from 'hono';
import { cappedText } from '../http/capped-body.js';
import type { z } from 'zod';
import type { Permission } from '../domain/users/permission.js';
import type { ArtifactState } from '../domain/artifact-state.js';
import { parseArtifactId } from '../domain/ids.js';
import type { Registry } from '../registry.js';
import { bearerTokenOf, openSession, type RequestSession } from '../server/request-session.js';
import type { AppEnv } from '../server/app-env.js';
import { authenticationFailed, fromAppError, restError, tooLarge, type RestError } from './errors.js';
import { domainTypeOf, REST_ARTIFACT_TYPES, type RestArtifactType } from './artifact-view.js';

export type RestContext = Context<AppEnv>;
/** What a REST handler yields: a response, or the error the contract answers instead. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: RestError };

export const done = <T>(value: T): Outcome<T> => ({ ok: true, value });
export const refuse = (error: RestError): Outcome<never> => ({ ok: false, error });

/** Runs a handler and answers its refusal with the contract's status and a JSON `{ code, message }`. */
export function route(handler: (c: RestContext) => Promise<Response | RestError>) {
  return async (c: RestContext): Promise<Response> => {
    const answer = await handler(c);
    if (answer instanceof Response) return answer;
    // RFC 9110 §10.2.3: a 429 says when to come back in a header too, for clients that only read headers.
    const retryAfter = answer.body['retry_after_seconds'];
    if (typeof retryAfter === 'number') c.header('Retry-After', String(Math.max(1, Math.ceil(retryAfter))));
    return c.json(answer.body, answer.status);
  };
}

/**
 * The caller's session, refused with 403 when the token is missing or refused (the contract's
 * "authentication failed"), and when it lacks `permission` (with `forbiddenStatus`, 401 for reset).
 */
export async function sessionOf(c: RestContext, registry: Registry, permission: Permission, forbiddenStatus: 401 | 403 = 403): Promise<Outcome<RequestSession>> {
  const token = bearerTokenOf(c.req.raw.headers);
  if (token === undefined) return refuse(authenticationFailed('send X-Authorization: bearer <token> (PUT /authenticate returns it)'));
  const session = await openSession(registry, token);
  if (!session.ok) return refuse(authenticationFailed(session.error.message));
  // A verified token lifts the anonymous body cap (restBodyLimit); nothing has been read yet.
  c.set('bodyLimit', c.get('verifiedBodyLimit'));
  if (!session.value.viewer.permissions.includes(permission)) {
    return refuse(restError(forbiddenStatus, 'FORBIDDEN', `this needs the ${permission} permission`));
  }
  return done(session.value);
}

/** The JSON body parsed with `schema`; anything else (not JSON, wrong shape) is a 400 naming the problem. */
export async function bodyOf<S extends z.ZodType>(c: RestContext, schema: S): Promise<Outcome<z.output<S>>> {
  const limit = c.get('bodyLimit');
  const text = await cappedText(c.req.raw.body, limit);
  if (text === undefined) return refuse(tooLarge(limit));
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return refuse(restError(400, 'BAD_USER_INPUT', 'the request body must be JSON'));
  }
  const parsed = schema.safeParse(raw);
  if (parsed.success) return done(parsed.data);
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return refuse(restError(400, 'BAD_USER_INPUT', `malformed request body${where}: ${issue?.message ?? 'invalid'}`));
}

const ID_PATTERN = /^[a-zA-Z0-9-]{1,64}$/;

export function typeParam(raw: string): Outcome<RestArtifactType> {
  return (REST_ARTIFACT_TYPES as readonly string[]).includes(raw)
    ? done(raw as RestArtifactType)
    : refuse(restError(400, 'BAD_USER_INPUT', `artifact_type must be one of ${REST_ARTIFACT_TYPES.join(', ')}`));
}

const notFound = () => refuse(restError(404, 'NOT_FOUND', 'no artifact with this id and type (absent or deleted)'));

/**
 * The live artifact a path names. An id outside the contract's pattern is a 400; one that fits it
 * but is no id of ours names nothing (404), like an absent or deleted one or one of another type.
 */
export async function artifactAt(session: RequestSession, rawType: string | undefined, rawId: string): Promise<Outcome<ArtifactState>> {
  const type = rawType === undefined ? done('model' as const) : typeParam(rawType);
  if (!type.ok) return type;
  if (!ID_PATTERN.test(rawId)) return refuse(restError(400, 'BAD_USER_INPUT', 'id must match ^[a-zA-Z0-9\\-]+$ (at most 64 characters)'));
  const id = parseArtifactId(rawId);
  if (!id) return notFound();
  const state = await session.queries.get(id);
  return state && state.type === domainTypeOf(type.value) ? done(state) : notFound();
}

/** Turns an application result into an outcome, mapping its error to the contract's status. */
export function fromResult<T>(result: { ok: true; value: T } | { ok: false; error: Parameters<typeof fromAppError>[0] }): Outcome<T> {
  return result.ok ? done(result.value) : refuse(fromAppError(result.error));
}

/** This server's origin as the client reached it, for URLs it prints (download_url). */
export const originOf = (c: RestContext): string => new URL(c.req.url).origin;

/** A path parameter of the matched route ('' if the route has none of that name: then nothing matches it). */
export const param = (c: RestContext, name: string): string => c.req.param(name) ?? '';
