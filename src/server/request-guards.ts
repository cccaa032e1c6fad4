import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RequestLimits } from '../config.js';
import { ANONYMOUS, type RequestSessions } from './request-sessions.js';

/**
 * Headers that prove a request was preflighted (a page on another site cannot send them without
 * the CORS check passing): yoga's and Apollo's CSRF-prevention headers.
 */
export const PREFLIGHT_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight', 'graphql-require-preflight'] as const;

/** Content types a browser sends cross-site without a preflight (the CORS "simple" request types). */
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

const mediaType = (request: Request) => (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();

const tooLarge = (limit: number, anonymous: boolean) =>
  new GraphQLError(
    `request body is larger than ${limit} bytes${anonymous ? ' (the limit for requests without a token)' : ''}; GraphQL documents and variables fit well within it, and files go through createUploadUrl`,
    { extensions: { code: 'PAYLOAD_TOO_LARGE', limit, http: { status: 413 } } },
  );

/**
 * Refuses cross-site "simple" requests (form posts, text/plain, multipart without a preflight
 * header): they reach the server without the browser asking first, so CORS alone cannot stop them
 * from running mutations. JSON bodies are always preflighted cross-site.
 */
export const csrfPrevention: Plugin = {
  onRequest: ({ request, endResponse, fetchAPI }) => {
    if (request.method !== 'POST') return;
    if (!SIMPLE_CONTENT_TYPES.includes(mediaType(request))) return;
    if (PREFLIGHT_HEADERS.some((name) => (request.headers.get(name) ?? '') !== '')) return;
    const error = {
      message: `a POST of ${mediaType(request)} needs one of the headers ${PREFLIGHT_HEADERS.join(', ')} (cross-site request protection); send GraphQL as application/json`,
      extensions: { code: 'BAD_USER_INPUT' },
    };
    endResponse(new fetchAPI.Response(JSON.stringify({ errors: [error] }), { status: 400, headers: { 'content-type': 'application/json' } }));
  },
};

/**
 * Caps bodies by who sent them, before any byte is read: the token is verified first (the context
 * reuses that session), so only a token that works lifts the anonymous cap, and a multipart body
 * (uploadFile, up to MAX_INLINE_UPLOAD_BYTES) is read only for a caller holding UPLOAD. A declared
 * length over the limit is refused before reading, and a body without one (chunked) is cut off as
 * it streams past the limit, so nothing larger is ever buffered or parsed.
 */
export function requestBodyLimit(limits: RequestLimits, sessions: RequestSessions): Plugin {
  return {
    onRequestParse: async ({ request, requestParser, setRequestParser, fetchAPI }) => {
      if (request.method !== 'POST') return;
      const session = await sessions.of(request);
      const verified = session !== ANONYMOUS && session.ok;
      if (mediaType(request) === 'multipart/form-data') {
        if (session === ANONYMOUS || !session.ok) throw unauthenticatedUpload(session === ANONYMOUS ? undefined : session.error.message);
        if (!session.value.viewer.permissions.includes('UPLOAD')) throw forbiddenUpload(session.value.viewer.username);
        return;
      }
      const anonymous = !verified;
      const limit = anonymous ? limits.maxAnonymousBodyBytes : limits.maxJsonBodyBytes;
      const declared = request.headers.get('content-length');
      if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) throw tooLarge(limit, anonymous);
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser((req) => parse(withBodyLimit(req, limit, anonymous, fetchAPI)));
    },
  };
}

const unauthenticatedUpload = (reason: string | undefined) =>
  new GraphQLError(`a multipart upload needs a valid token${reason ? ` (${reason})` : ': send Authorization: Bearer <token>'}; nothing was read`, {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });
const forbiddenUpload = (username: string) =>
  new GraphQLError(`${username} lacks the UPLOAD permission a multipart upload needs; nothing was read`, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });

type FetchAPI = Pick<typeof globalThis, 'Request' | 'TransformStream'>;

function withBodyLimit(request: Request, limit: number, anonymous: boolean, fetchAPI: FetchAPI): Request {
  let seen = 0;
  // The node adapter's body may be whatwg-node's stream rather than Node's own; each pipes only
  // into its own kind (as yoga's own body limit does, graphql-yoga#4583).
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  const limited = request.body!.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(tooLarge(limit, anonymous));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, { method: request.method, headers: request.headers, signal: request.signal, body: limited, duplex: 'half' } as RequestInit);
}
