import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * API Gateway HTTP API (payload format 2.0) <-> Fetch API, so the same yoga server that answers
 * `npm start` answers Lambda. Payload 2.0 lower-cases header names, joins repeated headers with
 * commas, moves the `cookie` header into `cookies`, and base64-encodes bodies it deems binary.
 */
export function requestFromEvent(event: APIGatewayProxyEventV2): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (value !== undefined) headers.set(name, value);
  }
  // Cookies arrive apart from the headers in payload 2.0; a server reads them from `cookie`.
  if (event.cookies && event.cookies.length > 0) headers.set('cookie', event.cookies.join('; '));

  const protocol = headers.get('x-forwarded-proto') ?? 'https';
  const host = headers.get('host') ?? event.requestContext.domainName;
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  const url = `${protocol}://${host}${event.rawPath}${query}`;

  const method = event.requestContext.http.method.toUpperCase();
  // Fetch refuses a body on GET and HEAD; API Gateway may still pass an empty one.
  const body = method === 'GET' || method === 'HEAD' || event.body === undefined ? undefined : decodeBody(event.body, event.isBase64Encoded);
  return new Request(url, { method, headers, ...(body !== undefined && { body }) });
}

function decodeBody(body: string, isBase64Encoded: boolean): string | Uint8Array<ArrayBuffer> {
  return isBase64Encoded ? new Uint8Array(Buffer.from(body, 'base64')) : body;
}

/**
 * The Fetch Response as an HTTP API result. Textual bodies go as UTF-8 text (readable in logs and
 * test output); anything else is base64, which API Gateway decodes before it reaches the client.
 * `set-cookie` cannot be folded into one header value, so payload 2.0 carries it as `cookies`.
 */
export async function resultFromResponse(response: Response): Promise<APIGatewayProxyStructuredResultV2> {
  const headers: Record<string, string> = {};
  // yoga's ponyfill Headers keep names as written ('Content-Type'); HTTP API results use lower case.
  response.headers.forEach((value, name) => {
    const lower = name.toLowerCase();
    if (lower === 'set-cookie') return;
    headers[lower] = lower in headers ? `${headers[lower]}, ${value}` : value;
  });
  const cookies = response.headers.getSetCookie();
  const bytes = Buffer.from(await response.arrayBuffer());
  // A compressed body is bytes whatever its media type says.
  const textual = !response.headers.has('content-encoding') && isTextual(response.headers.get('content-type'));
  return {
    statusCode: response.status,
    headers,
    body: textual ? bytes.toString('utf8') : bytes.toString('base64'),
    isBase64Encoded: !textual,
    ...(cookies.length > 0 && { cookies }),
  };
}

/** Media types whose bodies are UTF-8 text. No content type means no body worth encoding. */
export function isTextual(contentType: string | null): boolean {
  if (contentType === null) return true;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type.startsWith('text/') || type === 'application/json' || type.endsWith('+json') || type.endsWith('+xml') || type === 'application/xml' || type === 'application/javascript' || type === 'application/graphql';
}
