import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { RequestLimits } from '../config.js';

/**
 * Headers that prove a request was preflighted (a page on another site cannot send them without
 * the CORS check passing): yoga's and Apollo's CSRF-prevention headers.
 */
export const PREFLIGHT_HEADERS = ['x-graphql-yoga-csrf', 'apollo-require-preflight', 'graphql-require-preflight'] as const;

/** Content types a browser sends cross-site without a preflight (the CORS "simple" request types). */
const SIMPLE_CONTENT_TYPES = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

const mediaType = (request: Request) => (request.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
const hasToken = (request: Request) => request.headers.has('authorization') || request.headers.has('x-authorization');

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
 * Caps non-multipart bodies by what they are for: a declared length over the limit is refused
 * before reading, and a body without one (chunked) is cut off as it streams past the limit, so
 * nothing larger is ever buffered or parsed. Multipart uploads keep their own, larger limit.
 */
export function requestBodyLimit(limits: RequestLimits): Plugin {
  return {
    onRequestParse: ({ request, requestParser, setRequestParser, fetchAPI }) => {
      if (request.method !== 'POST' || mediaType(request) === 'multipart/form-data') return;
      const anonymous = !hasToken(request);
      const limit = anonymous ? limits.maxAnonymousBodyBytes : limits.maxJsonBodyBytes;
      const declared = request.headers.get('content-length');
      if (declared !== null && /^\d+$/.test(declared) && Number(declared) > limit) throw tooLarge(limit, anonymous);
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser((req) => parse(withBodyLimit(req, limit, anonymous, fetchAPI)));
    },
  };
}

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
