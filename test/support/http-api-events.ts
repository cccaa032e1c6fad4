import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/**
 * API Gateway HTTP API events (payload format 2.0) with every field API Gateway sends, shaped like
 * events recorded from the deployed API (serverless.yml: routes `GET /graphql` and `POST /graphql`
 * on the `$default` stage): header names lower-case, repeated headers joined with commas, the
 * cookie header moved to `cookies`, binary bodies base64-encoded.
 */
export interface EventInput {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'OPTIONS' | 'HEAD';
  readonly path?: string;
  /** Exactly as the client sent it (still percent-encoded), without the `?`. */
  readonly rawQueryString?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly cookies?: readonly string[];
  readonly body?: string;
  /** Send the body base64-encoded, as API Gateway does for payloads it considers binary. */
  readonly base64?: boolean;
  /** The matched route; `$default` is what a catch-all route would report. */
  readonly routeKey?: string;
}

const API_ID = 'a1b2c3d4e5';
const DOMAIN = `${API_ID}.execute-api.us-east-1.amazonaws.com`;

export function httpApiEvent(input: EventInput): APIGatewayProxyEventV2 {
  const path = input.path ?? '/graphql';
  const rawQueryString = input.rawQueryString ?? '';
  const body = input.body === undefined ? undefined : input.base64 ? Buffer.from(input.body, 'utf8').toString('base64') : input.body;
  const queryStringParameters = rawQueryString ? queryParameters(rawQueryString) : undefined;
  const routeKey = input.routeKey ?? (path === '/graphql' ? `${input.method} /graphql` : '$default');
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString,
    ...(input.cookies && { cookies: [...input.cookies] }),
    headers: {
      'accept-encoding': 'gzip, deflate, br',
      'content-length': String(body === undefined ? 0 : Buffer.byteLength(input.body ?? '', 'utf8')),
      host: DOMAIN,
      'user-agent': 'curl/8.5.0',
      'x-amzn-trace-id': 'Root=1-6741c2a0-0b2f4e0c7d1e3a5b6c7d8e9f',
      'x-forwarded-for': '203.0.113.7',
      'x-forwarded-port': '443',
      'x-forwarded-proto': 'https',
      ...input.headers,
    },
    ...(queryStringParameters && { queryStringParameters }),
    requestContext: {
      accountId: '123456789012',
      apiId: API_ID,
      domainName: DOMAIN,
      domainPrefix: API_ID,
      http: { method: input.method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'curl/8.5.0' },
      requestId: 'Cq3VxhYwIAMEVHg=',
      routeKey,
      stage: '$default',
      time: '23/Nov/2026:12:00:00 +0000',
      timeEpoch: 1795435200000,
    },
    ...(body !== undefined && { body }),
    isBase64Encoded: input.base64 === true,
  };
}

/** API Gateway decodes the query for `queryStringParameters` and joins repeated keys with commas. */
function queryParameters(rawQueryString: string): Record<string, string> {
  const parameters: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(rawQueryString)) {
    parameters[key] = key in parameters ? `${parameters[key]},${value}` : value;
  }
  return parameters;
}

/** A JSON GraphQL POST as a browser or curl sends it. */
export function graphqlPost(query: string, variables?: Record<string, unknown>, extra: Partial<EventInput> = {}): APIGatewayProxyEventV2 {
  return httpApiEvent({
    method: 'POST',
    body: JSON.stringify({ query, ...(variables && { variables }) }),
    ...extra,
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...extra.headers },
  });
}
