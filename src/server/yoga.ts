import { serveRequests, type RunningServer } from './http-server.js';
import { createYoga, type Plugin, type YogaServerInstance, type YogaServerOptions } from 'graphql-yoga';
import { GraphQLError, parse } from 'graphql';
import { DEFAULT_QUERY_LIMITS, queryLimitsRule, tooComplex, type QueryLimits } from '../graphql/query-limits.js';
import { checkDocumentShape } from '../graphql/document-shape.js';
import { nestingDepth } from '../graphql/document-nesting.js';
import { introspectionAnswers } from '../graphql/introspection-answers.js';
import { DownloadUrlBudget } from '../graphql/download-budget.js';
import { withoutEchoedVariable, withoutEchoes } from '../graphql/request-echo.js';
import { serverDetailOf } from '../graphql/errors.js';
import { unreadableAnswerField } from '../graphql/answer-scopes.js';
import type { RequestSession } from './request-session.js';
import { ANONYMOUS, RequestSessions } from './request-sessions.js';
import type { Result } from '../domain/result.js';
import { schema } from '../graphql/schema.js';
import type { GraphQLContext } from '../graphql/context.js';
import type { Registry } from '../registry.js';
import type { ServedGraphiQL } from './graphiql-assets.js';
import { uiPlugin, type UiHandler } from './ui-assets.js';
import { corsFor } from './cors.js';
import { csrfPrevention, requestBodyLimit } from './request-guards.js';
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from '../config.js';
import { clientAddressOf } from './client-address.js';

export type RegistryYoga = YogaServerInstance<Record<string, unknown>, GraphQLContext>;

export interface YogaOptions {
  readonly queryLimits?: QueryLimits;
  /** Log unexpected errors here (they reach clients only as INTERNAL_SERVER_ERROR). */
  readonly logError?: (error: unknown) => void;
  /** Log what a client error leaves out (internal endpoints, socket errors) so operators still see it. */
  readonly logDetail?: (message: string) => void;
  /**
   * GraphiQL from this process (`npm start`: offline, static hashed files, see graphiql-assets.ts);
   * left out, yoga's own page loads it from a CDN. An option rather than an import here so the
   * Lambda bundle does not carry GraphiQL's 9 MB.
   */
  readonly graphiql?: ServedGraphiQL;
  readonly requestLimits?: RequestLimits;
  /** Origins allowed cross-site (CORS); none by default. */
  readonly corsOrigins?: readonly string[];
  /** The web UI's pages and assets (ui-assets.ts); without it `/` redirects to GraphiQL. */
  readonly ui?: UiHandler;
}

export function createRegistryYoga(registry: Registry, options: YogaOptions = {}): RegistryYoga {
  const logError = options.logError ?? ((error: unknown) => console.error(error));
  const logDetail = options.logDetail ?? ((message: string) => console.warn(message));
  const limits = options.queryLimits ?? DEFAULT_QUERY_LIMITS;
  const sessions = new RequestSessions(registry);
  return createYoga<Record<string, unknown>, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    landingPage: false,
    // Yoga logs every error it returns, client mistakes included, with stacks. GraphQL errors are
    // answers (unexpected ones are logged once by maskError below); only other errors reach the log.
    logging: {
      debug: () => {},
      info: () => {},
      warn: (...args: unknown[]) => console.warn(...args),
      error: (...args: unknown[]) => {
        if (!args.some(isGraphQLError)) console.error(...args);
      },
    },
    plugins: [
      uiPlugin(options.ui),
      ...(options.graphiql ? [options.graphiql.plugin] : []),
      csrfPrevention,
      requestBodyLimit(options.requestLimits ?? DEFAULT_REQUEST_LIMITS, sessions),
      inlineUploadLimit(registry.fileLimits.maxInlineUploadBytes),
      queryLimitsPlugin(limits),
      invalidDocumentsAreBadUserInput,
      mutationAnswersReadable,
      introspectionAnswers(),
    ],
    // Yoga's own cap covers every body; the multipart upload is the largest a request may carry.
    maxRequestBodySize: registry.fileLimits.maxInlineUploadBytes + MULTIPART_OVERHEAD_BYTES,
    cors: corsFor(options.corsOrigins ?? []),
    ...(options.graphiql && { renderGraphiQL: options.graphiql.render }),
    graphiql: { title: 'Trustworthy Model Registry', defaultQuery: '{ health { status } }' },
    context: ({ request, ...serverContext }) => createContext(registry, sessions.of(request), clientAddressOf(serverContext), new DownloadUrlBudget(limits.maxDownloadUrls)),
    maskedErrors: {
      maskError: (error) => {
        if (!isGraphQLError(error)) return internalError(error, logError);
        const variableError = withoutEchoedVariable(error);
        if (variableError) return asRequestError(variableError);
        if (rootCause(error) !== undefined) return internalError(error, logError);
        const code = error.extensions?.['code'];
        const detail = serverDetailOf(error);
        if (detail !== undefined) logDetail(`${String(code)}: ${error.message} (${detail})`);
        // Malformed documents and variables are the client's input: one stable code for them all.
        const clientError = typeof code === 'string' && !REQUEST_ERROR_CODES.has(code) ? error : new GraphQLError(withoutEchoes(error.message), {
          nodes: error.nodes,
          ...(error.path && { path: error.path }),
          extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
        });
        return error.path ? clientError : asRequestError(clientError);
      },
    },
  });
}

// `instanceof` is unreliable here: graphql may be loaded twice (ESM and CommonJS copies).
function isGraphQLError(error: unknown): error is GraphQLError {
  return error instanceof Error && error.name === 'GraphQLError';
}

/**
 * The request's session (RequestSessions: the bearer token, `Authorization: Bearer t` or the REST
 * contract's `X-Authorization: bearer t`, with one of its calls spent). No token is an anonymous
 * request; a refused token is remembered so protected fields can say why.
 */
async function createContext(
  registry: Registry,
  opened: Promise<Result<RequestSession> | typeof ANONYMOUS>,
  clientAddress: string | undefined,
  downloadUrls: DownloadUrlBudget,
): Promise<GraphQLContext> {
  const session = await opened;
  if (session === ANONYMOUS) return { registry, clientAddress, session: undefined, authError: undefined, downloadUrls };
  if (!session.ok) return { registry, clientAddress, session: undefined, authError: session.error, downloadUrls };
  return { registry, clientAddress, authError: undefined, downloadUrls, session: session.value };
}

/** Room for the multipart request's other parts (operations, map) and part headers. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/**
 * Refuses a multipart request whose declared length is over the inline upload limit before yoga
 * parses (and buffers) it. A request without a length is parsed, and uploadFile checks the size.
 */
function inlineUploadLimit(maxBytes: number): Plugin {
  return {
    onRequest: ({ request, endResponse, fetchAPI }) => {
      if (!request.headers.get('content-type')?.toLowerCase().startsWith('multipart/form-data')) return;
      const length = Number(request.headers.get('content-length'));
      if (!(length > maxBytes + MULTIPART_OVERHEAD_BYTES)) return;
      const error = { message: `inline uploads are limited to ${maxBytes} bytes; use createUploadUrl for larger files`, extensions: { code: 'PAYLOAD_TOO_LARGE', limit: maxBytes } };
      endResponse(new fetchAPI.Response(JSON.stringify({ errors: [error] }), { status: 413, headers: { 'content-type': 'application/json' } }));
    },
  };
}

/** graphql-js's last error when validation stops at its maxErrors (100). */
const VALIDATION_ABORTED = 'Too many validation errors, error limit reached. Validation aborted.';

/**
 * Caps document size in the parser, fields and directives before validation, and cost, depth,
 * aliases and download URLs in validation.
 */
function queryLimitsPlugin(limits: QueryLimits): Plugin {
  const rule = queryLimitsRule(limits);
  return {
    onParse: ({ setParseFn }) => {
      setParseFn((source, parseOptions) => {
        const text = typeof source === 'string' ? source : source.body;
        if (nestingDepth(text, limits.maxNesting) > limits.maxNesting) {
          throw new GraphQLError(`the document nests more than ${limits.maxNesting} levels of braces, brackets or parentheses`, {
            extensions: { code: 'BAD_USER_INPUT', limitName: 'maxNesting', limit: limits.maxNesting },
          });
        }
        try {
          return parse(source, { ...parseOptions, maxTokens: limits.maxTokens });
        } catch (error) {
          if (error instanceof Error && /Document contains more th(?:at|an) \d+ tokens/.test(error.message)) {
            throw tooComplex(`document has more than ${limits.maxTokens} tokens`, 'maxTokens', limits.maxTokens);
          }
          throw error;
        }
      });
    },
    onValidate: ({ addValidationRule, params, setResult }) => {
      const refused = checkDocumentShape(params.documentAST, limits);
      // A result set here skips validation altogether.
      if (refused) {
        setResult([refused]);
        return undefined;
      }
      addValidationRule(rule);
      return ({ result, setResult: replace }) => {
        const aborted = result.findIndex((error) => error.message === VALIDATION_ABORTED);
        if (aborted < 0) return;
        const kept = result.filter((_, i) => i !== aborted);
        replace([tooComplex(`validation stopped after ${kept.length} errors, the most it reports; fix these and send the document again`, 'maxValidationErrors', kept.length), ...kept]);
      };
    },
  };
}

/** A mutation whose answer asks for a field the caller may not read is refused before it changes anything. */
const mutationAnswersReadable: Plugin<GraphQLContext> = {
  onExecute: ({ args, setResultAndStopExecution }) => {
    const refused = unreadableAnswerField(args.schema, args.document, args.operationName, args.contextValue);
    if (refused) setResultAndStopExecution({ errors: [refused] });
  },
};

/** Validation errors skip maskError; this gives them the contract's code as they are produced. */
const invalidDocumentsAreBadUserInput: Plugin = {
  onValidate: () => ({ result, setResult }) => {
    if (result.length === 0) return;
    setResult(
      result.map((error) =>
        error.extensions?.['code'] === 'QUERY_TOO_COMPLEX'
          ? error
          : new GraphQLError(withoutEchoes(error.message), {
            ...(error.nodes && { nodes: error.nodes }),
            ...(error.source && { source: error.source }),
            ...(error.positions && { positions: error.positions }),
            extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
          }),
      ),
    );
  },
};

/**
 * An error outside every field (variables that do not coerce, an unknown operation name) means
 * nothing executed: GraphQL over HTTP answers it with 400 under application/graphql-response+json
 * (`spec`: 200 under application/json). Yoga reads the status from `extensions.http` and strips it.
 */
function asRequestError(error: GraphQLError): GraphQLError {
  // An error that already names its status (413 for a body over its limit) keeps it.
  const http = error.extensions?.['http'] ?? { spec: true, status: 400 };
  return new GraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, http } });
}

/** Codes graphql-js and yoga give to malformed requests; the contract reports them as BAD_USER_INPUT. */
const REQUEST_ERROR_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST']);

/**
 * The exception beneath a GraphQL error, if any. Errors we mean to send (AppErrors, parse,
 * validation and variable errors) are GraphQL errors all the way down; anything else is a bug.
 */
function rootCause(error: GraphQLError): unknown {
  let current: unknown = error;
  for (let depth = 0; isGraphQLError(current) && depth < 10; depth++) current = current.originalError;
  return current ?? undefined;
}

function internalError(error: unknown, logError: (error: unknown) => void): GraphQLError {
  logError(isGraphQLError(error) ? (rootCause(error) ?? error) : error);
  return new GraphQLError('Internal server error', {
    ...(isGraphQLError(error) && { nodes: error.nodes, path: error.path }),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  });
}

export type { RunningServer } from './http-server.js';

/** Yoga alone on node's HTTP server (tests and benchmarks of the GraphQL layer by itself). */
export function listen(yoga: RegistryYoga, port: number, host = '127.0.0.1'): Promise<RunningServer> {
  return serveRequests((req, res) => void yoga(req, res), port, host);
}
